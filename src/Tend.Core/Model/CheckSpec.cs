namespace Tend.Core.Model;

/// <summary>
/// One check as the stack file declares it. Each kind is a sealed record with its own options
/// and the code that speaks its protocol; the engine only sees this base.
/// </summary>
public abstract record CheckSpec : Located
{
    /// <summary>The kind key, e.g. <c>postgres</c>; it is also the key that selects the kind in TOML.</summary>
    public abstract string Kind { get; }

    /// <summary>What the check looks at, short enough for one line: <c>127.0.0.1:8101/backend</c>.</summary>
    public abstract string Target { get; }

    /// <summary>The user's label for this check, if given.</summary>
    public string? Name { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>An optional check that fails is reported as a warning and does not fail the run.</summary>
    public bool Optional { get; init; }

    /// <summary>Components whose health must pass before this check can mean anything (alembic needs its database).</summary>
    public virtual IReadOnlyList<string> NeedsComponents => [];

    /// <summary>
    /// The secrets this check uses, to be masked wherever they appear: the password of a URL in
    /// its target, and the kinds that log in add their password and what password_env names.
    /// </summary>
    public virtual IEnumerable<string> Secrets(Func<string, string?> environment) => Events.SecretRule.UrlPasswords(Target);

    /// <summary>Runs the check. Expected failures are outcomes; an exception here is a bug.</summary>
    public abstract Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default);

    public string Title => Name ?? $"{Kind} {Target}";
}

/// <summary>What a running check may use besides its own options.</summary>
public sealed class CheckContext
{
    public required string BaseDirectory { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The health checks of components, so that a check can reach what another component serves.</summary>
    public IReadOnlyDictionary<string, CheckSpec> ComponentHealth { get; init; } = new Dictionary<string, CheckSpec>();

    public string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(BaseDirectory, path));

    /// <summary>
    /// Where the user types the next steps from: the CLI's current directory. Null for the
    /// daemon, whose steps are read later from anywhere: then paths are shown absolute.
    /// </summary>
    public string? ShownFrom { get; init; }

    /// <summary>
    /// <paramref name="path"/> as a next step should print it: relative to <see cref="ShownFrom"/>
    /// (a stack file's <c>conf/x.toml</c> is <c>../conf/x.toml</c> from a subdirectory), absolute
    /// when that is shorter or there is no such directory, and quoted for the shell when needed.
    /// </summary>
    public string Shown(string path)
    {
        var full = Resolve(path);
        var relative = ShownFrom is null ? full : Path.GetRelativePath(ShownFrom, full);
        return Text.ShellWords.Quote(relative.Length < full.Length ? relative : full);
    }
}
