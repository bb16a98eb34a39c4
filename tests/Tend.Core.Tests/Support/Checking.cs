using Tend.Core.Checks;
using Tend.Core.Config;
using Tend.Core.Config.Toml;
using Tend.Core.Model;

namespace Tend.Core.Tests.Support;

/// <summary>Binds a check from one line of TOML, as a stack file would, and runs it for real.</summary>
public static class Checking
{
    private static readonly TimeSpan LoadedMachineTimeout = TimeSpan.FromSeconds(20);

    public static CheckSpec Bind(string inlineTable, string baseDirectory = "/tmp")
    {
        var problems = new ConfigProblems();
        var root = TomlTreeBuilder.Parse($"check = {inlineTable}\n", "test.toml", problems);
        root.ShouldNotBeNull(string.Join("; ", problems.Items));
        root.TryGet("check", out var entry).ShouldBeTrue();
        var reader = new TableReader((TomlTableNode)entry.Value, "check", new ReadContext(problems, Interpolation.None, baseDirectory));
        var spec = CheckReader.Read(reader);
        problems.Items.Where(p => p.IsError).ShouldBeEmpty();
        return spec!;
    }

    public static async Task<CheckOutcome> RunAsync(string inlineTable, string baseDirectory = "/tmp", Func<string, string?>? environment = null, IReadOnlyDictionary<string, CheckSpec>? health = null)
    {
        var spec = Bind(inlineTable, baseDirectory);
        if (!inlineTable.Contains("timeout", StringComparison.Ordinal) && spec.Timeout < LoadedMachineTimeout)
        {
            // A spec that does not test timeouts must not hit one on a loaded CI machine (a TLS handshake
            // or a python3 start took over 5 s there, with four test runs on two cores).
            spec = spec with { Timeout = LoadedMachineTimeout };
        }

        var context = new CheckContext
        {
            BaseDirectory = baseDirectory,
            Environment = environment ?? Environment.GetEnvironmentVariable,
            ComponentHealth = health ?? new Dictionary<string, CheckSpec>(),
        };
        // Through the runner, as tend runs checks: it owns the timeout.
        var runner = new CheckRunner(context, Config.RuleBook.With([]));
        var results = await runner.RunAsync([new PlannedCheck("test", "test", CheckRole.Preflight, spec, [])], TestContext.Current.CancellationToken);
        return results[0].Outcome;
    }
}
