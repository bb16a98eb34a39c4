namespace Tend.Core.Events;

/// <summary>A set of block numbers of an <see cref="EventIndex"/>, one bit each.</summary>
internal sealed class BlockSet
{
    private ulong[] words;

    public BlockSet(int capacity = 0) => words = new ulong[WordsFor(capacity)];

    public BlockSet(ulong[] words) => this.words = words;

    public ReadOnlySpan<ulong> Words => words;

    public static int WordsFor(int blocks) => (blocks + 63) / 64;

    public void Add(int block)
    {
        var word = block / 64;
        if (word >= words.Length)
        {
            Array.Resize(ref words, Math.Max(word + 1, words.Length * 2));
        }

        words[word] |= 1UL << (block % 64);
    }

    public bool Contains(int block) => block / 64 < words.Length && (words[block / 64] & (1UL << (block % 64))) != 0;

    public void UnionWith(BlockSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.words.Length > words.Length)
        {
            Array.Resize(ref words, other.words.Length);
        }

        for (var i = 0; i < other.words.Length; i++)
        {
            words[i] |= other.words[i];
        }
    }

    public void IntersectWith(BlockSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < words.Length; i++)
        {
            words[i] &= i < other.words.Length ? other.words[i] : 0;
        }
    }

    /// <summary>Every block of <paramref name="count"/>.</summary>
    public static BlockSet AllOf(int count)
    {
        var set = new BlockSet(count);
        for (var block = 0; block < count; block++)
        {
            set.Add(block);
        }

        return set;
    }
}
