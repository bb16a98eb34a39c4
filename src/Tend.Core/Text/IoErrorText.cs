namespace Tend.Core.Text;

/// <summary>
/// An I/O exception's reason as a user reads it: .NET appends <c> : '/the/path'</c> to the
/// system's message (<c>No space left on device : '/x/.tmp'</c>), and Tend's own text already
/// says which file, so the suffix goes.
/// </summary>
public static class IoErrorText
{
    public static string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        var suffix = message.LastIndexOf(" : '", StringComparison.Ordinal);
        return suffix > 0 && message.EndsWith('\'') ? message[..suffix] : message;
    }
}
