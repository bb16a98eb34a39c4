namespace Tend.Core.Model;

/// <summary>
/// What <c>tend backup COMP</c> saves of a component (<c>backup = [...]</c>), and how many of its
/// backups are kept (<c>keep</c>; null keeps every one: nothing is deleted unless asked).
/// </summary>
public sealed record BackupPlan(ValueList<BackupSource> Sources, int? Keep)
{
    public static readonly BackupPlan None = new([], null);

    public bool IsEmpty => Sources.Count == 0;
}

/// <summary>
/// One thing a backup saves, as the stack file declares it. Each type (postgres, redis, etcd,
/// files, and the stack's own config) is a sealed record under <c>Tend.Core.Backup</c>, as check
/// kinds are under <c>Checks.Kinds</c>; the model only sees this base.
/// </summary>
public abstract record BackupSource : Located
{
    /// <summary>The type as the stack file spells it: <c>postgres</c>, <c>redis</c>, <c>etcd</c>, <c>files</c>, <c>config</c>.</summary>
    public abstract string Type { get; }

    /// <summary>What it saves, short enough for one line: <c>127.0.0.1:8101/backend</c>, <c>data/, models/</c>.</summary>
    public abstract string Target { get; }

    /// <summary>The artifact's file name in a backup's directory, e.g. <c>postgres.dump</c>.</summary>
    public string ArtifactName { get; init; } = "";

    /// <summary>Whether the component must be stopped while this is restored (a server that holds the files).</summary>
    public abstract bool RestoreNeedsStopped { get; }

    /// <summary>Whether the component must be stopped while this is saved (<c>files</c> with <c>stopped = true</c>).</summary>
    public virtual bool SaveNeedsStopped => false;

    /// <summary>The secrets it uses (a password in a URL or in <c>password_env</c>), to be masked in what tend prints.</summary>
    public virtual IEnumerable<string> Secrets(Func<string, string?> environment) => [];
}
