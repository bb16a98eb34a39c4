using Tend.Core.Model;

namespace Tend.Core.Checks.Kinds;

/// <summary>Something accepts TCP connections at host:port.</summary>
public sealed record TcpCheck(Endpoint Endpoint) : CheckSpec
{
    public static readonly CheckKind Definition = new("tcp", "a TCP port accepts connections", TimeSpan.FromSeconds(3), CheckValueForms.String, [], Create);

    public override string Kind => "tcp";

    public override string Target => Endpoint.ToString();

    private static TcpCheck? Create(CheckArguments arguments)
    {
        var text = (string)arguments.Value;
        if (!Endpoint.TryParse(text, "127.0.0.1", out var endpoint))
        {
            arguments.Error($"{arguments.What} must be \"host:port\", not \"{text}\"");
            return null;
        }

        return new TcpCheck(endpoint);
    }

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var failure = await TcpDial.TryAsync(Endpoint.Host, Endpoint.Port, Timeout, cancellationToken);
        return failure ?? CheckOutcome.Pass($"{Endpoint} accepts connections").WithData(("host", Endpoint.Host), ("port", Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
