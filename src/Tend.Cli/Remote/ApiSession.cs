using System.Text;
using System.Text.Json;
using Tend.Cli.Verbs;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Logs;

namespace Tend.Cli.Remote;

/// <summary>
/// `tend api --stdio`: the control protocol's lines on stdin and stdout, for an ssh forced
/// command. Questions are answered as the local verbs answer them (status, events and logs from
/// the daemon when it runs, from the files it left when not, by the same code); every other verb
/// goes to the daemon as it is, and a change only with <c>--allow-control</c>.
/// </summary>
internal sealed class ApiSession(StackFile stack, bool allowControl, Stream input, Stream output, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Dictionary<long, CancellationTokenSource> _streams = [];
    private readonly Lock _gate = new();

    /// <summary>Until stdin ends (the ssh session closed): every request answered, every stream ended.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = new DaemonConnection(stack);
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Connected once, before requests are handled side by side: two first uses at once would each open one.
        await connection.ClientAsync(ending.Token);
        var handlers = new List<Task>();
        using var reader = new StreamReader(input, Encoding.UTF8, leaveOpen: true);
        try
        {
            while (await reader.ReadLineAsync(ending.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (Encoding.UTF8.GetByteCount(line) > ControlProtocol.MaxRequestBytes)
                {
                    await ReplyAsync(Failure(0, new ControlError("too_large", $"a request longer than {ControlProtocol.MaxRequestBytes} bytes")));
                    break;
                }

                handlers.RemoveAll(h => h.IsCompleted);
                switch (ApiRequest.Parse(line))
                {
                    case { Error: { } error, Id: var id }:
                        await ReplyAsync(Failure(id, error));
                        break;
                    case { Request: { } request }:
                        handlers.Add(HandleSafelyAsync(connection, request, ending.Token));
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The session ended.
        }
        finally
        {
            lock (_gate)
            {
                foreach (var stream in _streams.Values)
                {
                    stream.Cancel();
                }
            }

            await Task.WhenAll(handlers);
        }
    }

    private async Task HandleSafelyAsync(DaemonConnection connection, ControlRequest request, CancellationToken ending)
    {
        try
        {
            await HandleAsync(connection, request, ending);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client went away mid-answer.
        }
    }

    private async Task HandleAsync(DaemonConnection connection, ControlRequest request, CancellationToken ending)
    {
        var id = request.Id;
        if (VerbAccess.Of(request.Verb) == Access.Control && !allowControl)
        {
            await ReplyAsync(Failure(id, ApiRefusals.ReadOnly(request.Verb)));
            return;
        }

        if (ApiRefusals.UnknownComponent(stack, request) is { } unknown)
        {
            await ReplyAsync(Failure(id, unknown));
            return;
        }

        switch (request)
        {
            case HelloRequest:
                await ReplyAsync(new ControlReply(id, ReplyTypes.Result) { Hello = new HelloResult(TendVersion.Current, ControlProtocol.Version, Environment.ProcessId, stack.Name, stack.Path) });
                return;
            case StatusRequest:
                var state = await StackState.ReadAsync(connection, ending);
                await ReplyAsync(new ControlReply(id, ReplyTypes.Result)
                {
                    Snapshot = state.Snapshot,
                    Saved = state.Live ? null : new SavedStateResult(state.Orphans, state.Problem),
                });
                return;
            case EventsRequest events:
                var filter = new EventFilter { Kinds = events.Kinds, Components = events.Components };
                await StreamAsync(id, token => new StackFacts(connection, time).EventsAsync(filter, events.Last, events.Follow, token), e => new ControlReply(id, ReplyTypes.Item) { Event = EventJson.ToElement(e) }, ending);
                return;
            case LogsRequest logs:
                await StreamAsync(id, token => new StackFacts(connection, time).LogsAsync(logs.Component, logs.Run, logs.Last, logs.Follow, token), l => new ControlReply(id, ReplyTypes.Item) { Log = new LogLineReply(l.Time, l.Stream.Name(), l.Text, l.Continued) }, ending);
                return;
            case LogFilesRequest files:
                var (logFiles, unread) = await HostAnswers.LogFilesAsync(stack, connection.Paths, files, ending);
                await ReplyAsync(unread is not null ? Failure(id, unread) : new ControlReply(id, ReplyTypes.Result) { LogFiles = logFiles });
                return;
            case DoctorRequest:
                var (doctor, invalid) = await HostAnswers.DoctorAsync(stack, connection, time, ending);
                await ReplyAsync(invalid is not null ? Failure(id, invalid) : new ControlReply(id, ReplyTypes.Result) { Doctor = doctor });
                return;
            case StartRequest when await HostAnswers.EnsureDaemonAsync(stack, connection, time, ending) is { } cannot:
                await ReplyAsync(Failure(id, cannot));
                return;
            case CancelRequest cancel:
                lock (_gate)
                {
                    if (_streams.TryGetValue(cancel.Request, out var stream))
                    {
                        stream.Cancel();
                    }
                }

                await ReplyAsync(new ControlReply(id, ReplyTypes.Result));
                return;
            default:
                await RelayAsync(connection, Local(request), ending);
                return;
        }
    }

    /// <summary>A request naming the client's stack file names this host's: the client's path means nothing here.</summary>
    private ControlRequest Local(ControlRequest request) => request switch
    {
        UpRequest up => up with { StackFile = stack.Path },
        ReloadRequest reload => reload with { StackFile = stack.Path },
        UpdateRequest update => update with { StackFile = stack.Path },
        RunWorkflowRequest run => run with { StackFile = stack.Path },
        _ => request,
    };

    /// <summary>To the daemon and back, under the client's id: a stream item by item, a call as its one answer.</summary>
    private async Task RelayAsync(DaemonConnection connection, ControlRequest request, CancellationToken ending)
    {
        var id = request.Id;
        if (await connection.ClientAsync(ending) is not { } client)
        {
            await ReplyAsync(Failure(id, new ControlError("not_running", $"no daemon runs {stack.Name} on this host, and {request.Verb} needs one", $"start it there: tend -f {Core.Text.ShellWords.Quote(stack.Path)} up")));
            return;
        }

        if (request is WatchRequest)
        {
            await StreamAsync(id, token => client.StreamAsync(request, token), r => r with { Id = id }, ending, relayed: true);
            return;
        }

        var reply = await client.CallAsync(request, ending);
        await ReplyAsync(reply with { Id = id });
    }

    private async Task StreamAsync<T>(long id, Func<CancellationToken, IAsyncEnumerable<T>> items, Func<T, ControlReply> reply, CancellationToken ending, bool relayed = false)
    {
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(ending);
        lock (_gate)
        {
            _streams[id] = stream;
        }

        var ended = false;
        try
        {
            await foreach (var item in items(stream.Token).WithCancellation(stream.Token))
            {
                var line = reply(item);
                ended = relayed && line.Type == ReplyTypes.Error;
                await ReplyAsync(line);
            }
        }
        catch (OperationCanceledException) when (stream.IsCancellationRequested)
        {
            // Cancelled by the client, or the session ended.
        }
        finally
        {
            lock (_gate)
            {
                _streams.Remove(id);
            }
        }

        if (!ended)
        {
            await ReplyAsync(new ControlReply(id, ReplyTypes.End));
        }
    }

    private static ControlReply Failure(long id, ControlError error) => new(id, ReplyTypes.Error) { Error = error };

    /// <summary>One reply, one line, flushed: stdout is a pipe to ssh, and the client waits for it.</summary>
    private async Task ReplyAsync(ControlReply reply)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(reply, ProtocolJson.Default.ControlReply);
        await _writing.WaitAsync();
        try
        {
            await output.WriteAsync(bytes);
            await output.WriteAsync("\n"u8.ToArray());
            await output.FlushAsync();
        }
        finally
        {
            _writing.Release();
        }
    }

    public void Dispose() => _writing.Dispose();
}
