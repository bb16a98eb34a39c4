namespace Tend.Dummy;

/// <summary>Bad command line: Program prints the message and the usage text, then exits 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
