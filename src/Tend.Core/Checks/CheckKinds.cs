using Tend.Core.Checks.Kinds;
using Tend.Core.Model;

namespace Tend.Core.Checks;

/// <summary>
/// A kind of check: the key that selects it in a check table, the forms its value may take, the
/// options it reads, and how it makes a check of them. The kind declares its options as data; the
/// stack-file reader reads and type-checks them, so no check kind touches TOML.
/// </summary>
public sealed record CheckKind(
    string Key,
    string Summary,
    TimeSpan DefaultTimeout,
    CheckValueForms ValueForms,
    IReadOnlyList<CheckOption> Options,
    Func<CheckArguments, CheckSpec?> Create);

/// <summary>The registry of check kinds. A check table names exactly one kind key.</summary>
public static class CheckKinds
{
    public static readonly IReadOnlyList<CheckKind> All =
    [
        TcpCheck.Definition,
        HttpCheck.Definition,
        PostgresCheck.Definition,
        RedisCheck.Definition,
        EtcdCheck.Definition,
        AlembicCheck.Definition,
        FileCheck.Definition,
        CommandCheck.Definition,
        PortFreeCheck.Definition,
        DirWritableCheck.Definition,
        DiskSpaceCheck.Definition,
        DockerCheck.Definition,
        GpuCheck.Definition,
        ExecCheck.Definition,
    ];

    /// <summary>Keys every check table may have besides its kind and the kind's options.</summary>
    public static readonly IReadOnlyList<string> CommonKeys = ["name", "timeout", "optional"];

    public static IEnumerable<string> Keys => All.Select(k => k.Key);

    public static CheckKind? Find(string key) => All.FirstOrDefault(k => k.Key == key);
}
