using System.Globalization;
using System.Text.Json;

namespace Tend.Core.Workflows.Running;

/// <summary>Tokens and cost a step reported: <c>{"tokens_used": 1200, "cost": 0.02}</c> on a line of its output, or in <c>$TEND_STEP_REPORT</c>.</summary>
public readonly record struct StepUsage(long Tokens, decimal Cost)
{
    public static StepUsage None => default;

    public bool IsNone => Tokens == 0 && Cost == 0;

    public static StepUsage operator +(StepUsage a, StepUsage b) => new(a.Tokens + b.Tokens, a.Cost + b.Cost);

    /// <summary>The usage a line reports; null for any other line (most of them: only a JSON object with <c>tokens_used</c> or <c>cost</c> counts).</summary>
    public static StepUsage? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.AsSpan().Trim();
        if (text.Length < 2 || text[0] != '{' || (!text.Contains("tokens_used", StringComparison.Ordinal) && !text.Contains("\"cost\"", StringComparison.Ordinal)))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var tokens = json.RootElement.TryGetProperty("tokens_used", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt64(out var n) ? n : (long?)null;
            var cost = json.RootElement.TryGetProperty("cost", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetDecimal(out var d) ? d : (decimal?)null;
            return tokens is null && cost is null ? null : new StepUsage(tokens ?? 0, cost ?? 0);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>"51,200 tokens" / "0.25 cost": how budgets are spelt in reasons.</summary>
    public static string FormatTokens(long tokens) => tokens.ToString("N0", CultureInfo.InvariantCulture);
}
