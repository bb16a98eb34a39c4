using Tend.Core.Config;
using Tend.Core.Diag;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Tests.Support;
using Tend.Core.Text;

namespace Tend.Core.Tests.Diag;

/// <summary>What goes into a bundle: known values (as written, JSON-escaped, URL-encoded), the stack's own patterns and the built-in ones, each counted by rule.</summary>
public sealed class BundleRedactorSpecs
{
    private static RedactPattern Pattern(string regex, int line) => new(Patterns.Create(regex)) { Location = new SourceLocation("/x/tend.toml", line, 11) };

    [Fact]
    public void A_stack_pattern_masks_its_match_and_is_counted_by_its_place_in_the_file()
    {
        var redactor = new BundleRedactor(SecretValues.None, [Pattern("CUST-[0-9]{6}", 4)]);

        var text = redactor.Redact("order for CUST-123456 and CUST-654321");

        text.ShouldBe("order for *** and ***");
        redactor.Tally.Counts["stack_redact:tend.toml:4"].ShouldBe(2);
    }

    [Fact]
    public void A_stack_pattern_with_a_secret_group_masks_only_that_group()
    {
        var redactor = new BundleRedactor(SecretValues.None, [Pattern("session=(?<secret>[a-z]{10})", 5)]);

        redactor.Redact("cookie session=abcdefghij; path=/").ShouldBe("cookie session=***; path=/");
    }

    [Fact]
    public void A_stack_pattern_that_finds_nothing_is_listed_with_zero()
    {
        var redactor = new BundleRedactor(SecretValues.None, [Pattern("never-[0-9]+", 6)]);

        redactor.Redact("nothing here");

        redactor.Tally.Counts["stack_redact:tend.toml:6"].ShouldBe(0);
    }

    [Fact]
    public void A_known_value_is_masked_as_json_and_a_url_spell_it()
    {
        const string value = "pa ss\"word+1";
        var redactor = new BundleRedactor(SecretValues.Of([value]), []);
        var json = $"\"{System.Text.Json.JsonEncodedText.Encode(value).Value}\"";
        var relaxed = $"\"{System.Text.Json.JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value}\"";

        var text = redactor.Redact($"raw {value} json {json} relaxed {relaxed} url pa%20ss%22word%2B1");

        text.ShouldNotContain("pa ss");
        text.ShouldNotContain("pa%20ss");
        redactor.Tally.Counts[SecretValues.Rule].ShouldBe(4);
    }

    [Fact]
    public void What_a_pattern_left_of_a_password_with_spaces_is_masked_too()
    {
        var redactor = new BundleRedactor(SecretValues.Of(["correct horse Pl4nt battery"]), []);

        // The daemon's argv events: `--password` masked the first word before the known value was looked for.
        var text = redactor.Redact("""["--password","*** horse Pl4nt battery"] and --password *** Pl4nt battery""");

        text.ShouldBe("""["--password","***"] and --password ***""");
    }

    [Fact]
    public void Uncounted_redaction_masks_the_same_and_leaves_the_tally_alone()
    {
        var redactor = new BundleRedactor(SecretValues.Of(["Pl4ntedValue"]), []);

        redactor.RedactUncounted("x Pl4ntedValue password=a").ShouldBe("x *** password=***");

        redactor.Tally.Counts.ShouldBeEmpty();
    }

    [Fact]
    public void The_manifest_entry_is_the_size_and_sha256_of_the_redacted_bytes()
    {
        var redactor = new BundleRedactor(SecretValues.Of(["Pl4ntedValue"]), []);

        var file = BundleFile.Redacted("logs/Pl4ntedValue.log", "key Pl4ntedValue\n", redactor);

        file.Name.ShouldBe("logs/***.log");
        file.Entry.Size.ShouldBe("key ***\n".Length);
        file.Entry.Sha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("key ***\n"u8.ToArray())));
    }
}

/// <summary><c>[stack] redact</c>: read and compiled with the stack file; a bad pattern is an error at its file:line.</summary>
public sealed class RedactSettingSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_patterns_are_read_with_their_places()
    {
        var path = _directory.Write("tend.toml", """
            [stack]
            redact = ['CUST-\d{6}', 'x(?<secret>y+)']

            [components.app]
            command = ["true"]
            """);

        var stack = StackFileLoader.Load(path).Stack.ShouldNotBeNull();

        stack.Redact.Select(r => r.Regex.ToString()).ShouldBe([@"CUST-\d{6}", "x(?<secret>y+)"]);
        stack.Redact[0].Location.Line.ShouldBe(2);
    }

    [Fact]
    public void An_invalid_pattern_is_an_error_at_its_line_with_the_reason()
    {
        var path = _directory.Write("tend.toml", """
            [stack]
            name = "s"
            redact = ["ok", "broken(["]

            [components.app]
            command = ["true"]
            """);

        var result = StackFileLoader.Load(path);

        result.Succeeded.ShouldBeFalse();
        var error = result.Errors.Single();
        error.Location.Line.ShouldBe(3);
        error.Message.ShouldContain("stack.redact[1] is not a valid regular expression");
    }
}
