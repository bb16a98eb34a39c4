using Tend.Core.Status;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Monitoring;

/// <summary>What the monitor remembers of each component between samples: output counted, when it last printed, since when it is unhealthy or throttled.</summary>
internal sealed class ComponentTracks
{
    private readonly Dictionary<string, Track> _tracks = new(StringComparer.Ordinal);

    public Track this[string component] => _tracks.TryGetValue(component, out var track) ? track : _tracks[component] = new Track();

    public void Forget(Func<string, bool> gone)
    {
        foreach (var name in _tracks.Keys.Where(gone).ToList())
        {
            _tracks.Remove(name);
        }
    }

    internal sealed class Track
    {
        private int _run;
        private long _lines;
        private long _bytes;

        public long? LinesInInterval { get; private set; }

        public long? BytesInInterval { get; private set; }

        /// <summary>When its current run last printed a line (its start, before the first); null while it does not run.</summary>
        public DateTimeOffset? LastOutputAt { get; private set; }

        public DateTimeOffset? UnhealthySince { get; private set; }

        public DateTimeOffset? ThrottledSince { get; private set; }

        public void Update(ComponentSnapshot snapshot, OutputCount? counted, DateTimeOffset now)
        {
            // A probe still "starting" that has a result has run and never passed: red as much as a failing one.
            var red = snapshot.Health == ProbeHealth.Failing || (snapshot.Health == ProbeHealth.Starting && snapshot.LastProbe is not null);
            UnhealthySince = red && snapshot.Pid is not null ? UnhealthySince ?? now : null;
            ThrottledSince = snapshot.Rounds?.ThrottledUntil is { } until && until > now ? ThrottledSince ?? now : null;
            if (snapshot.Pid is null)
            {
                LastOutputAt = null;
                LinesInInterval = BytesInInterval = null;
                return;
            }

            if (counted is null || counted.Run != snapshot.Run)
            {
                // Its output is not counted yet (the capture of a new run starts a moment after it).
                LastOutputAt = _run == snapshot.Run ? LastOutputAt : snapshot.StartedAt ?? now;
                _run = snapshot.Run;
                _lines = _bytes = 0;
                LinesInInterval = BytesInInterval = 0;
                return;
            }

            var sameRun = _run == counted.Run;
            var lines = counted.Lines - (sameRun ? _lines : 0);
            var bytes = counted.Bytes - (sameRun ? _bytes : 0);
            LinesInInterval = lines;
            BytesInInterval = bytes;
            if (lines > 0)
            {
                LastOutputAt = now;
            }
            else if (!sameRun || LastOutputAt is null)
            {
                LastOutputAt = snapshot.StartedAt ?? now;
            }

            _run = counted.Run;
            _lines = counted.Lines;
            _bytes = counted.Bytes;
        }
    }
}
