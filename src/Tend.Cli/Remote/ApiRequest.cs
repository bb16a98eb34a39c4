using System.Text.Json;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Remote;

/// <summary>One line read by `tend api --stdio`: a request, or the error to answer it with (under the id it gave, when it gave one).</summary>
internal sealed record ApiRequest(long Id, ControlRequest? Request, ControlError? Error)
{
    public static ApiRequest Parse(string line)
    {
        long id = 0;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ApiRequest(0, null, new ControlError("malformed", "not a request: a request is a JSON object"));
            }

            id = root.TryGetProperty("id", out var given) && given.ValueKind == JsonValueKind.Number && given.TryGetInt64(out var number) ? number : 0;
            if (!root.TryGetProperty("v", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != ControlProtocol.Version)
            {
                var spoken = root.TryGetProperty("v", out var raw) ? raw.GetRawText() : "1 (no version)";
                return new ApiRequest(id, null, new ControlError("unsupported_version", $"tend {TendVersion.Current} here speaks control protocol {ControlProtocol.Version}, not {spoken}", "use the same tend on both hosts (tend --version on each)"));
            }

            var request = ControlVerbs.Read(root);
            return RequestProblems.Of(request) is { } invalid ? new ApiRequest(id, null, invalid) : new ApiRequest(id, request, null);
        }
        catch (JsonException e)
        {
            return new ApiRequest(id, null, new ControlError("malformed", $"not a request: {e.Message}"));
        }
    }
}
