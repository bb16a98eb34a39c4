using Tend.Core.Events;

namespace Tend.Core.Tests.Events;

/// <summary>Values Tend knows to be secret are masked wherever they appear, whatever surrounds them.</summary>
public sealed class SecretValuesSpecs
{
    private static readonly SecretValues Known = SecretValues.Of(["Pl4ntedOne", "s3cr3t", "s3cr3t-longer"]);

    [Theory]
    [InlineData("connecting with Pl4ntedOne now", "connecting with *** now")]
    [InlineData("STRIPE_KEY=Pl4ntedOne", "STRIPE_KEY=***")]
    [InlineData("xPl4ntedOnex and Pl4ntedOne again", "x***x and *** again")]
    [InlineData("s3cr3t-longer beats s3cr3t", "*** beats ***")]
    [InlineData("--db-url=postgres://app:s3cr3t@127.0.0.1/x", "--db-url=postgres://app:***@127.0.0.1/x")]
    public void A_known_value_is_masked_wherever_it_appears(string text, string expected) =>
        Known.Mask(text).ShouldBe(expected);

    [Fact]
    public void Text_without_a_known_value_is_the_same_string()
    {
        var text = "nothing to hide here";

        Known.Mask(text).ShouldBeSameAs(text);
    }

    [Fact]
    public void Values_too_short_to_mask_without_garbling_text_are_not_known()
    {
        var known = SecretValues.Of(["pw", "abc", "", "  "]);

        known.Count.ShouldBe(0);
        known.Mask("a pw of abc").ShouldBe("a pw of abc");
    }

    [Fact]
    public void The_pattern_redactor_masks_known_values_too()
    {
        Redactor.Redact("UPSTREAM=s3cr3t-longer and password=x", Known).ShouldBe("UPSTREAM=*** and password=***");
    }

    [Fact]
    public void Masking_a_short_event_takes_a_few_microseconds()
    {
        var known = SecretValues.Of(Enumerable.Range(0, 30).Select(i => $"secret-value-{i:D3}-x"));
        var text = "component api exited with code 3 after 12 s; last line: connection refused at 127.0.0.1:5432";
        for (var i = 0; i < 1000; i++)
        {
            known.Mask(text);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 10_000; i++)
        {
            known.Mask(text);
        }

        // Generous: 0.1 to 0.8 µs in a Release build (30 values), a few µs in Debug on a busy machine; this only catches a matcher that became a loop over values with regexes.
        var perEvent = clock.Elapsed.TotalMicroseconds / 10_000;
        TestContext.Current.TestOutputHelper?.WriteLine($"{perEvent:0.000} µs per text");
        perEvent.ShouldBeLessThan(50);
    }
}
