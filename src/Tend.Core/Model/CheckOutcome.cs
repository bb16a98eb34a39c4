namespace Tend.Core.Model;

public enum CheckStatus
{
    Pass,
    Warn,
    Fail,
    Skip,
}

public static class CheckStatuses
{
    /// <summary>The status as every report spells it.</summary>
    public static string Word(this CheckStatus status) => status switch
    {
        CheckStatus.Pass => "pass",
        CheckStatus.Warn => "warn",
        CheckStatus.Fail => "fail",
        CheckStatus.Skip => "skip",
        _ => throw new InvalidOperationException($"unknown check status {status}"),
    };
}

/// <summary>
/// What a check saw. <see cref="ErrorClass"/> is a small stable word (<c>refused</c>,
/// <c>auth_failed</c>, <c>db_missing</c>...) that diagnosis rules match on; <see cref="Facts"/> are
/// the observations in plain words; <see cref="Data"/> fills the placeholders of a diagnosis.
/// </summary>
public sealed record CheckOutcome(CheckStatus Status, string Summary)
{
    public string? ErrorClass { get; init; }

    public IReadOnlyList<string> Facts { get; init; } = [];

    public IReadOnlyDictionary<string, string> Data { get; init; } = EmptyData;

    public int? ExitCode { get; init; }

    private static readonly IReadOnlyDictionary<string, string> EmptyData = new Dictionary<string, string>();

    public static CheckOutcome Pass(string summary, params string[] facts) =>
        new(CheckStatus.Pass, summary) { Facts = facts };

    public static CheckOutcome Warn(string errorClass, string summary, params string[] facts) =>
        new(CheckStatus.Warn, summary) { ErrorClass = errorClass, Facts = facts };

    public static CheckOutcome Fail(string errorClass, string summary, params string[] facts) =>
        new(CheckStatus.Fail, summary) { ErrorClass = errorClass, Facts = facts };

    public static CheckOutcome Skip(string summary) => new(CheckStatus.Skip, summary) { ErrorClass = "skipped" };

    /// <summary>Adds placeholder values for diagnosis templates.</summary>
    public CheckOutcome WithData(params (string Key, string? Value)[] values)
    {
        var data = new Dictionary<string, string>(Data, StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            if (value is not null)
            {
                data[key] = value;
            }
        }

        return this with { Data = data };
    }
}
