namespace Tend.Core.Events;

/// <summary>
/// Which components and kinds occur in each block (about 64 KiB of whole lines) of a daily file,
/// over its first <see cref="Covered"/> bytes: <c>why X</c> reads the blocks that name X, not the
/// day. A block with a line the index could not read without parsing (not in the writer's
/// shape) is always read. Kept beside its file by <see cref="EventIndexFile"/>.
/// </summary>
internal sealed partial class EventIndex
{
    public const int BlockSize = 64 * 1024;

    private readonly List<long> starts;
    private readonly BlockSet unsure;
    private readonly Dictionary<string, BlockSet> components;
    private readonly Dictionary<string, BlockSet> kinds;

    public EventIndex()
        : this(0, [], new BlockSet(), new Dictionary<string, BlockSet>(StringComparer.Ordinal), new Dictionary<string, BlockSet>(StringComparer.Ordinal))
    {
    }

    internal EventIndex(long covered, List<long> starts, BlockSet unsure, Dictionary<string, BlockSet> components, Dictionary<string, BlockSet> kinds)
    {
        Covered = covered;
        this.starts = starts;
        this.unsure = unsure;
        this.components = components;
        this.kinds = kinds;
    }

    /// <summary>The bytes of the file this index describes, from its start; they end with a whole line.</summary>
    public long Covered { get; private set; }

    public int Blocks => starts.Count;

    internal IReadOnlyList<long> Starts => starts;

    internal BlockSet Unsure => unsure;

    internal IReadOnlyDictionary<string, BlockSet> Components => components;

    internal IReadOnlyDictionary<string, BlockSet> Kinds => kinds;

    public long StartOf(int block) => starts[block];

    public long EndOf(int block) => block + 1 < starts.Count ? starts[block + 1] : Covered;

    /// <summary>The blocks that may hold an event matching <paramref name="filter"/>'s components and kinds.</summary>
    public BlockSet Candidates(EventFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var candidates = filter.Components.Count == 0 ? BlockSet.AllOf(Blocks) : new BlockSet(Blocks);
        foreach (var component in filter.Components)
        {
            if (components.TryGetValue(component, out var blocks))
            {
                candidates.UnionWith(blocks);
            }
        }

        if (filter.Kinds.Count > 0)
        {
            var ofKinds = new BlockSet(Blocks);
            foreach (var (kind, blocks) in kinds)
            {
                if (filter.Kinds.Any(pattern => EventFilter.KindMatches(pattern, kind)))
                {
                    ofKinds.UnionWith(blocks);
                }
            }

            candidates.IntersectWith(ofKinds);
        }

        candidates.UnionWith(unsure);
        return candidates;
    }
}
