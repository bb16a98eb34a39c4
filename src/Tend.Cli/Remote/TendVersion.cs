namespace Tend.Cli.Remote;

/// <summary>This tend's version, as its daemon tells it in a hello.</summary>
internal static class TendVersion
{
    public static string Current { get; } = typeof(TendVersion).Assembly.GetName().Version?.ToString() ?? "0";
}
