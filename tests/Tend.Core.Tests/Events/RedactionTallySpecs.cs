using Tend.Core.Events;

namespace Tend.Core.Tests.Events;

/// <summary>The redactor says how many values each of its rules replaced (a bundle's manifest shows it), and counts nothing it left as it was.</summary>
public sealed class RedactionTallySpecs
{
    [Theory]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", Redactor.Rules.PrivateKey)]
    [InlineData("Authorization: Basic dXNlcjpwYXNz", Redactor.Rules.AuthorizationHeader)]
    [InlineData("sent bearer 9f8e7d6c5b4a3f2e1d0c to upstream", Redactor.Rules.BearerToken)]
    [InlineData("postgres://backend:s3cret@127.0.0.1:8101/backend", Redactor.Rules.UrlPassword)]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefGHIJ_kl", Redactor.Rules.KnownToken)]
    [InlineData("mysql --password s3cret -u root", Redactor.Rules.SecretFlag)]
    [InlineData("password=hunter2", Redactor.Rules.SecretAssignment)]
    [InlineData("STRIPE_KEY=sk_test_abc", Redactor.Rules.EnvKeyAssignment)]
    [InlineData("invalid token 4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c", Redactor.Rules.TokenAfterSecretWord)]
    public void Each_pattern_counts_under_its_own_name(string text, string rule)
    {
        var tally = new RedactionTally();

        var redacted = Redactor.Redact(text, tally);

        redacted.ShouldBe(Redactor.Redact(text), "counting changes nothing in the text");
        tally.Counts.ShouldBe(new Dictionary<string, int> { [rule] = 1 });
    }

    [Fact]
    public void Every_value_is_counted_and_text_already_masked_is_not_counted_again()
    {
        var tally = new RedactionTally();

        var once = Redactor.Redact("a=postgres://u:p1@h/x b=redis://:p2@h c=https://x:p3@h password=hunter2", tally);
        Redactor.Redact(once, tally);

        tally.Counts[Redactor.Rules.UrlPassword].ShouldBe(3);
        tally.Counts[Redactor.Rules.SecretAssignment].ShouldBe(1);
        tally.Total.ShouldBe(4);
    }

    [Fact]
    public void A_reference_that_stays_is_not_counted()
    {
        var tally = new RedactionTally();

        Redactor.Redact("password=${PGPASSWORD} token=null", tally).ShouldBe("password=${PGPASSWORD} token=null");

        tally.Counts.ShouldBeEmpty();
    }

    [Fact]
    public void Known_values_count_each_place_they_were_masked_even_with_spaces_in_them()
    {
        var known = SecretValues.Of(["correct horse battery", "Pl4ntedValue"]);
        var tally = new RedactionTally();

        var text = Redactor.Redact("login correct horse battery, again correct horse battery; key Pl4ntedValue", known, tally);

        text.ShouldBe("login ***, again ***; key ***");
        tally.Counts.ShouldBe(new Dictionary<string, int> { [SecretValues.Rule] = 3 });
    }

    [Fact]
    public void The_old_calls_still_mask_the_same_without_a_tally()
    {
        var known = SecretValues.Of(["Pl4ntedValue"]);

        known.Mask("x Pl4ntedValue y").ShouldBe("x *** y");
        Redactor.Redact("x Pl4ntedValue password=a", known).ShouldBe("x *** password=***");
    }
}
