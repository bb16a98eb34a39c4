using Tend.Core.Events;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Logs;

namespace Tend.Daemon.Control;

/// <summary>The protocol's adapter: each typed request to its <see cref="StackControl"/> operation, and the answer back as replies.</summary>
internal sealed class ControlDispatch(StackControl control, ControlConnection connection)
{
    public async Task HandleAsync(ControlRequest request, CancellationToken connectionEnding)
    {
        var id = request.Id;
        if (RequestProblems.Of(request) is { } invalid)
        {
            await connection.ReplyAsync(ControlConnection.Failure(id, invalid));
            return;
        }

        switch (request)
        {
            case HelloRequest:
                await connection.ReplyAsync(new ControlReply(id, ReplyTypes.Result) { Hello = control.Hello() });
                break;
            case StatusRequest:
                await connection.ReplyAsync(new ControlReply(id, ReplyTypes.Result) { Snapshot = control.Status() });
                break;
            case MetricsRequest:
                await connection.ReplyAsync(new ControlReply(id, ReplyTypes.Result) { Metrics = control.Metrics() });
                break;
            case UpRequest up:
                await AnswerAsync(id, await control.UpAsync(up.Components, up.StackFile, up.MaxRounds, connectionEnding), r => new ControlReply(id, ReplyTypes.Result) { Up = r });
                break;
            case DownRequest down:
                await AnswerAsync(id, await control.DownAsync(down.Components, connectionEnding), Acted(id));
                break;
            case StartRequest start:
                await AnswerAsync(id, await control.StartAsync(start.Components, start.MaxRounds, connectionEnding), Acted(id));
                break;
            case StopRequest stop:
                await AnswerAsync(id, await control.StopAsync(stop.Components, cancellationToken: connectionEnding), Acted(id));
                break;
            case RestartRequest restart:
                await AnswerAsync(id, await control.RestartAsync(restart.Components, cancellationToken: connectionEnding), Acted(id));
                break;
            case KillRequest kill:
                await AnswerAsync(id, await control.KillAsync(kill.Components, kill.Signal, connectionEnding), Acted(id));
                break;
            case ReloadRequest reload:
                await AnswerAsync(id, await control.ReloadAsync(reload.StackFile, connectionEnding), r => new ControlReply(id, ReplyTypes.Result) { Reload = r });
                break;
            case WatchRequest:
                await StreamAsync(id, token => control.WatchAsync(token), s => new ControlReply(id, ReplyTypes.Item) { Snapshot = s }, connectionEnding);
                break;
            case EventsRequest events:
                var filter = new EventFilter { Kinds = events.Kinds, Components = events.Components };
                await StreamAsync(id, token => control.EventsAsync(filter, events.Last, events.Follow, token), e => new ControlReply(id, ReplyTypes.Item) { Event = EventJson.ToElement(e) }, connectionEnding);
                break;
            case LogsRequest logs:
                await StreamLogsAsync(logs, connectionEnding);
                break;
            case HttpRequest http:
                await AnswerAsync(id, await control.EnsureHttpAsync(http.Listen, http.MakeToken, connectionEnding), r => new ControlReply(id, ReplyTypes.Result) { Http = r });
                break;
            case UpdateRequest update:
                await AnswerAsync(id, await control.UpdateAsync(update.Component, update.To, update.StackFile, "cli", connectionEnding), r => new ControlReply(id, ReplyTypes.Result) { Update = r });
                break;
            case RunWorkflowRequest run:
                await AnswerAsync(id, await control.RunWorkflowAsync(run.Workflow, run.Inputs, run.Files, run.Resume, run.StackFile, connectionEnding), WorkflowRun(id));
                break;
            case StopWorkflowRequest stop:
                await AnswerAsync(id, await control.StopWorkflowAsync(stop.Run, connectionEnding), WorkflowRun(id));
                break;
            case CancelRequest cancel:
                connection.Cancel(cancel.Request);
                await connection.ReplyAsync(new ControlReply(id, ReplyTypes.Result));
                break;
            case ShutdownRequest:
                // Answered first: the stop of the stack may outlast the client's patience.
                await connection.ReplyAsync(new ControlReply(id, ReplyTypes.Result));
                control.Shutdown();
                break;
            default:
                await connection.ReplyAsync(ControlConnection.Failure(id, new ControlError("malformed", $"no such verb in protocol {ControlProtocol.Version}")));
                break;
        }
    }

    private static Func<WorkflowRunResult, ControlReply> WorkflowRun(long id) => r => new ControlReply(id, ReplyTypes.Result) { WorkflowRun = r };

    private static Func<ActionResult, ControlReply> Acted(long id) => r => new ControlReply(id, ReplyTypes.Result) { Action = r };

    private Task AnswerAsync<T>(long id, ControlOutcome<T> outcome, Func<T, ControlReply> reply)
        where T : class =>
        connection.ReplyAsync(outcome.Error is { } error ? ControlConnection.Failure(id, error) : reply(outcome.Value!));

    private async Task StreamLogsAsync(LogsRequest request, CancellationToken connectionEnding)
    {
        using var stream = connection.OpenStream(request.Id, connectionEnding);
        var lines = control.Logs(request.Component, request.Run, request.Last, request.Follow, stream.Token);
        if (lines.Error is { } error)
        {
            connection.CloseStream(request.Id);
            await connection.ReplyAsync(ControlConnection.Failure(request.Id, error));
            return;
        }

        await ForwardAsync(request.Id, _ => lines.Value!, l => new ControlReply(request.Id, ReplyTypes.Item) { Log = Reply(l) }, stream);
    }

    private async Task StreamAsync<T>(long id, Func<CancellationToken, IAsyncEnumerable<T>> items, Func<T, ControlReply> reply, CancellationToken connectionEnding)
    {
        using var stream = connection.OpenStream(id, connectionEnding);
        await ForwardAsync(id, items, reply, stream);
    }

    /// <summary>Each item as a reply, then the end; a cancel (or the client gone) ends it too.</summary>
    private async Task ForwardAsync<T>(long id, Func<CancellationToken, IAsyncEnumerable<T>> items, Func<T, ControlReply> reply, CancellationTokenSource stream)
    {
        try
        {
            await foreach (var item in items(stream.Token).WithCancellation(stream.Token))
            {
                await connection.ReplyAsync(reply(item));
            }
        }
        catch (OperationCanceledException) when (stream.IsCancellationRequested)
        {
            // Cancelled by the client, or the connection ended.
        }
        finally
        {
            connection.CloseStream(id);
        }

        await connection.ReplyAsync(new ControlReply(id, ReplyTypes.End));
    }

    private static LogLineReply Reply(LogLine line) => new(line.Time, line.Stream.Name(), line.Text, line.Continued);
}
