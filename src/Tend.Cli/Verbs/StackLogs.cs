using Tend.Daemon.Logs;

namespace Tend.Cli.Verbs;

/// <summary>Where `tend logs` without a component reads the logs of every component: this host's daemon and files, or another host's `tend api --stdio`.</summary>
internal interface IStackLogs
{
    string Stack { get; }

    /// <summary>The components that run (externals have no logs), in the stack file's order.</summary>
    IReadOnlyList<string> Components { get; }

    /// <summary>What a printed command adds to work where the user stands: "" here, " --host pi" from another host.</summary>
    string Suffix { get; }

    /// <summary>The stack's state directory, as shown to the user.</summary>
    string StateDirectory { get; }

    /// <summary>The components that have run (their log directory exists); null once it cannot be told any more (the link to the host dropped).</summary>
    Task<IReadOnlyList<string>?> RanAsync(CancellationToken cancellationToken);

    /// <summary>The last <paramref name="last"/> lines of the component's current run, then (with <paramref name="follow"/>) each new one.</summary>
    IAsyncEnumerable<LogLine> LogsAsync(string component, int last, bool follow, CancellationToken cancellationToken);
}
