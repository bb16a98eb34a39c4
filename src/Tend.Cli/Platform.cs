// Tend supervises Linux process groups and reads /proc: it runs on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
