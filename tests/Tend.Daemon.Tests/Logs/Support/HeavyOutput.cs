namespace Tend.Daemon.Tests.Logs.Support;

/// <summary>
/// Tests that push hundreds of megabytes through a real child, or time and measure CPU: they
/// run alone, so that other tests neither slow them nor show up in their CPU figures.
/// </summary>
[CollectionDefinition(nameof(HeavyOutput), DisableParallelization = true)]
public sealed class HeavyOutput;
