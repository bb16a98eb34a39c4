using Tend.Core.Monitoring;

namespace Tend.Daemon.Monitoring;

/// <summary>The monitor's latest word for every face: the host's last sample and the alerts (firing first, then the recent resolved). Swapped whole, read without locks.</summary>
public sealed class MonitorView
{
    private volatile Snapshot _now = new(null, [], []);

    public HostSample? Host => _now.Host;

    public IReadOnlyList<AlertRecord> Firing => _now.Firing;

    public IReadOnlyList<AlertRecord> Recent => _now.Recent;

    internal void Set(HostSample? host, IReadOnlyList<AlertRecord> firing, IReadOnlyList<AlertRecord> recent) => _now = new(host, firing, recent);

    private sealed record Snapshot(HostSample? Host, IReadOnlyList<AlertRecord> Firing, IReadOnlyList<AlertRecord> Recent);
}
