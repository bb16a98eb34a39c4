using System.Text;

namespace Tend.Core.Model;

/// <summary>
/// A part of a stack file that knows where it was written. Where is not what: two definitions
/// that differ only in their place in the file are equal (moving a table restarts nothing), and
/// the place is left out of the printed form. Records deriving from this get value equality of
/// everything else by construction.
/// </summary>
public abstract record Located
{
    public SourceLocation Location { get; init; } = SourceLocation.None;

    public virtual bool Equals(Located? other) => other is not null && EqualityContract == other.EqualityContract;

    public override int GetHashCode() => EqualityContract.GetHashCode();

    protected virtual bool PrintMembers(StringBuilder builder) => false;
}
