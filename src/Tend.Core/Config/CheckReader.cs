using Tend.Core.Checks;
using Tend.Core.Config.Toml;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Config;

/// <summary>
/// Reads one check table (<c>{ postgres = "...", password_env = "PGPASSWORD" }</c>): the kind it
/// names, the kind's value and options as the kind declares them, and the keys every check has.
/// Shapes are checked here; what the values mean is the kind's to check.
/// </summary>
internal static class CheckReader
{
    /// <summary>Reports problems and returns null when the table does not make a check.</summary>
    public static CheckSpec? Read(TableReader reader, IReadOnlyCollection<string>? extraKeys = null)
    {
        var named = reader.Table.Entries.Where(e => CheckKinds.Find(e.Key) is not null).ToList();
        if (named.Count == 0)
        {
            var guess = reader.Table.Entries.Select(e => DidYouMean.Suggest(e.Key, CheckKinds.Keys)).FirstOrDefault(s => s is not null);
            reader.Problems.Error(
                reader.Location,
                $"{reader.Path} names no check kind; expected one of {string.Join(", ", CheckKinds.Keys)}",
                guess is null ? "e.g. { tcp = \"127.0.0.1:5432\" }" : $"did you mean '{guess}'?");
            return null;
        }

        if (named.Count > 1)
        {
            reader.Problems.Error(named[1].KeyLocation, $"{reader.Path} names two check kinds ('{named[0].Key}' and '{named[1].Key}')", "write each check as its own table");
            return null;
        }

        var entry = named[0];
        var kind = CheckKinds.Find(entry.Key)!;
        reader.Allow(entry.Key);
        if (extraKeys is not null)
        {
            reader.Allow([.. extraKeys]);
        }

        var name = reader.String("name");
        var timeout = reader.Duration("timeout");
        var optional = reader.Boolean("optional");
        var value = ReadValue(reader, entry, kind.ValueForms);
        var options = new Dictionary<string, CheckArgument>(StringComparer.Ordinal);
        var complete = true;
        foreach (var option in kind.Options)
        {
            if (!reader.Has(option.Key))
            {
                if (option.Required)
                {
                    reader.Entry(option.Key, required: true);
                    complete = false;
                }

                continue;
            }

            if (ReadOption(reader, option) is { } read)
            {
                options[option.Key] = new CheckArgument(read, reader.Entry(option.Key)!.Value.Location);
            }
            else
            {
                complete = false;
            }
        }

        reader.Finish();
        if (value is null || !complete)
        {
            return null;
        }

        var arguments = new CheckArguments(
            reader.Path, entry.Key, new CheckArgument(value, entry.Value.Location), options, reader.Location,
            (location, message, hint) => reader.Problems.Error(location, message, hint));
        if (kind.Create(arguments) is not { } spec)
        {
            return null;
        }

        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            reader.Problems.Error(reader.Location, $"{reader.Describe("timeout")} must be longer than zero");
        }

        return spec with
        {
            Name = name,
            Timeout = timeout ?? kind.DefaultTimeout,
            Optional = optional ?? false,
            Location = entry.KeyLocation,
        };
    }

    private static object? ReadValue(TableReader reader, TomlEntry entry, CheckValueForms forms)
    {
        var what = reader.Describe(entry.Key);
        switch (entry.Value)
        {
            case TomlStringNode text when forms.HasFlag(CheckValueForms.String):
                return reader.Context.Interpolate(text);
            case TomlIntegerNode integer when forms.HasFlag(CheckValueForms.Integer):
                return integer.Value;
            case TomlBooleanNode { Value: true } when forms.HasFlag(CheckValueForms.True):
                return true;
            case TomlArrayNode when forms.HasFlag(CheckValueForms.StringList):
                return reader.AsStringList(entry.Value, what);
            default:
                reader.TypeError(entry.Value, what, Describe(forms));
                return null;
        }
    }

    private static string Describe(CheckValueForms forms)
    {
        var words = new List<string>();
        if (forms.HasFlag(CheckValueForms.String))
        {
            words.Add("a string");
        }

        if (forms.HasFlag(CheckValueForms.Integer))
        {
            words.Add("a number");
        }

        if (forms.HasFlag(CheckValueForms.True))
        {
            words.Add("true");
        }

        if (forms.HasFlag(CheckValueForms.StringList))
        {
            words.Add("an array of strings");
        }

        return words.Count == 1 ? words[0] : $"{string.Join(", ", words[..^1])} or {words[^1]}";
    }

    private static object? ReadOption(TableReader reader, CheckOption option) => option.Type switch
    {
        CheckOptionType.String when option.Choices is { } choices => reader.Choice(option.Key, choices),
        CheckOptionType.String => reader.String(option.Key),
        CheckOptionType.Integer => reader.Integer(option.Key, option.Min, option.Max),
        CheckOptionType.Boolean => reader.Boolean(option.Key),
        CheckOptionType.Duration => reader.Duration(option.Key),
        CheckOptionType.Pattern => reader.Pattern(option.Key),
        CheckOptionType.StringMap => reader.StringMap(option.Key),
        CheckOptionType.StringOrList => reader.StringOrList(option.Key),
        CheckOptionType.Scalars => Scalars(reader, option.Key),
        _ => throw new InvalidOperationException($"unknown option type {option.Type}"),
    };

    private static List<CheckScalar>? Scalars(TableReader reader, string key)
    {
        var entry = reader.Entry(key)!;
        var items = entry.Value is TomlArrayNode array ? array.Items : [entry.Value];
        var scalars = new List<CheckScalar>();
        foreach (var item in items)
        {
            switch (item)
            {
                case TomlIntegerNode integer:
                    scalars.Add(new CheckScalar(integer.Value, item.Location));
                    break;
                case TomlStringNode text:
                    scalars.Add(new CheckScalar(reader.Context.Interpolate(text), item.Location));
                    break;
                default:
                    reader.TypeError(item, reader.Describe(key), "a number or a string");
                    return null;
            }
        }

        return scalars;
    }
}
