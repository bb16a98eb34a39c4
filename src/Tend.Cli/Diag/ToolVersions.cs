using System.Text;
using Tend.Core.Checks.Kinds;
using Tend.Core.Model;
using Tend.Core.Processes;

namespace Tend.Cli.Diag;

/// <summary>
/// versions.txt: the versions of the programs the stack's checks and components use, each asked
/// with a short timeout, only when it is installed. Only programs whose version flag is known to
/// be harmless are run: a component's own script given <c>--version</c> might start the service.
/// </summary>
internal static class ToolVersions
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>The programs behind each check kind; the launcher's tools are always asked.</summary>
    private static readonly Dictionary<string, string[]> ByCheckKind = new(StringComparer.Ordinal)
    {
        ["postgres"] = ["psql", "pg_isready"],
        ["redis"] = ["redis-server", "redis-cli"],
        ["etcd"] = ["etcd", "etcdctl"],
        ["docker"] = ["docker"],
        ["gpu"] = ["nvidia-smi"],
        ["alembic"] = ["alembic", "python3"],
    };

    /// <summary>Programs a component may run whose <c>--version</c> only prints a version.</summary>
    private static readonly HashSet<string> KnownPrograms = new(StringComparer.Ordinal)
    {
        "python", "python3", "node", "java", "ruby", "perl", "go", "dotnet", "deno", "bun", "uv", "npm",
        "postgres", "redis-server", "etcd", "docker", "ollama", "nginx", "caddy", "prometheus", "claude",
    };

    public static async Task AddAsync(BundleDraft draft, StackFile stack, TimeProvider time, CancellationToken cancellationToken)
    {
        var asked = new List<(string Program, IReadOnlyList<string> Args)> { ("setsid", ["--version"]), ("setpriv", ["--version"]) };
        foreach (var component in stack.Components)
        {
            foreach (var check in component.Preflight.Append(component.Health?.Check).OfType<CheckSpec>())
            {
                if (check is CommandCheck command)
                {
                    asked.Add((command.Program, command.VersionArgs));
                }

                asked.AddRange(ByCheckKind.GetValueOrDefault(check.Kind, []).Select(p => (p, (IReadOnlyList<string>)["--version"])));
            }

            if (component.Command is [var program, ..] && KnownPrograms.Contains(Path.GetFileName(program)))
            {
                asked.Add((program, ["--version"]));
            }
        }

        var text = new StringBuilder("versions of the programs the checks and components use (`PROGRAM --version`, 3 s at most)\n");
        foreach (var (program, args) in asked.DistinctBy(a => a.Program, StringComparer.Ordinal))
        {
            if (ExecutableLookup.Find(program, stack.Directory) is not { } path)
            {
                text.Append(program).Append(": not installed\n");
                continue;
            }

            var run = await CapturedRun.RunAsync([path, .. args], stack.Directory, null, Timeout, time, cancellationToken);
            var first = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
            text.Append(program).Append(" (").Append(path).Append("): ").Append(run.TimedOut ? "no answer in 3 s" : first).Append('\n');
        }

        draft.Add("versions.txt", text.ToString());
    }
}
