using Tend.Core.Model;

namespace Tend.Core.Checks.Kinds;

/// <summary>A directory exists and a file can really be created in it (access(2) lies on read-only mounts).</summary>
public sealed record DirWritableCheck(string Path) : CheckSpec
{
    public static readonly CheckKind Definition = new("dir-writable", "a directory exists and is writable", TimeSpan.FromSeconds(2), CheckValueForms.String, [], Create);

    public override string Kind => "dir-writable";

    public override string Target => Path;

    private static DirWritableCheck Create(CheckArguments arguments) => new((string)arguments.Value);

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var full = context.Resolve(Path);
        var data = new (string, string?)[] { ("path", context.Shown(Path)) };
        if (File.Exists(full))
        {
            return CheckOutcome.Fail("not_a_directory", $"{Path} is a file, not a directory", $"{full} exists but is a regular file").WithData(data);
        }

        if (!Directory.Exists(full))
        {
            return CheckOutcome.Fail("not_found", $"directory {Path} does not exist", $"{full} does not exist").WithData(data);
        }

        var probe = System.IO.Path.Combine(full, $".tend-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            await using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
                await stream.WriteAsync(new byte[] { 1 }, cancellationToken);
            }

            return CheckOutcome.Pass($"{Path} is writable").WithData(data);
        }
        catch (UnauthorizedAccessException e)
        {
            return CheckOutcome.Fail("permission", $"cannot write to {Path}", $"creating a file in {full} failed: {e.Message}", Owner(full)).WithData(data);
        }
        catch (IOException e)
        {
            return CheckOutcome.Fail("io_error", $"cannot write to {Path}: {e.Message}", $"creating a file in {full} failed: {e.Message}").WithData(data);
        }
    }

    private static string Owner(string path)
    {
        var mode = File.GetUnixFileMode(path);
        return $"{path} has mode {Convert.ToString((int)mode, 8)}; tend runs as {Environment.UserName}";
    }
}
