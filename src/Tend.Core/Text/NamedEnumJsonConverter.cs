using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tend.Core.Text;

/// <summary>
/// JSON for an enum whose values are 0, 1, 2..., spelled as the names a table gives in that order.
/// Written by hand because System.Text.Json's JsonStringEnumConverter finds the names through
/// reflection on the enum's fields and attributes on first use, which a native `tend status`
/// paid on every run (about a millisecond of its fifteen).
/// </summary>
public abstract class NamedEnumJsonConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private readonly JsonEncodedText[] _encoded;
    private readonly Dictionary<string, int> _byName;

    protected NamedEnumJsonConverter(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (Unsafe.SizeOf<TEnum>() != sizeof(int))
        {
            throw new InvalidOperationException($"{typeof(TEnum).Name} is not int-sized; its names cannot be indexed by value");
        }

        _encoded = [.. names.Select(n => JsonEncodedText.Encode(n))];
        _byName = names.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
    }

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected one of {string.Join(", ", _byName.Keys)}, found {reader.TokenType}");
        }

        var text = reader.GetString()!;
        if (!_byName.TryGetValue(text, out var index))
        {
            throw new JsonException($"'{text}' is not one of {string.Join(", ", _byName.Keys)}");
        }

        return Unsafe.As<int, TEnum>(ref index);
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(_encoded[Index(value)]);
    }

    private int Index(TEnum value)
    {
        var index = Unsafe.As<TEnum, int>(ref value);
        return (uint)index < (uint)_encoded.Length ? index : throw new JsonException($"{typeof(TEnum).Name} {index} has no name");
    }
}
