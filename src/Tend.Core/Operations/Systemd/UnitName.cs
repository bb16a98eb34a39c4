using System.Globalization;
using System.Text;

namespace Tend.Core.Operations.Systemd;

/// <summary>
/// The unit of a stack's daemon, <c>tend-STACK.service</c>. A unit name holds only ASCII letters,
/// digits and <c>:-_.\</c>; anything else in the stack's name is written as systemd-escape does,
/// <c>\xNN</c> a byte of its UTF-8, so two different names never share a unit.
/// </summary>
public static class UnitName
{
    public static string For(string stackName)
    {
        var name = new StringBuilder("tend-");
        foreach (var b in Encoding.UTF8.GetBytes(stackName))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '_' or '.'))
            {
                name.Append(c);
            }
            else
            {
                name.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
        }

        return name.Append(".service").ToString();
    }
}
