using Tend.Core.Model;

namespace Tend.Core.Knowledge;

/// <summary>Finds the first rule that explains a failure, in the order given: the stack file's own rules first, then the built-in ones.</summary>
public sealed class Diagnostician(IReadOnlyList<DiagnoseRule> rules)
{
    /// <summary>Explains nothing: for probes, whose failures the supervisor reports as events.</summary>
    public static readonly Diagnostician None = new([]);

    public IReadOnlyList<DiagnoseRule> Rules { get; } = rules;

    public Diagnosis? Explain(DiagnosisSubject subject) =>
        Rules.FirstOrDefault(r => r.Matches(subject))?.Apply(subject);
}
