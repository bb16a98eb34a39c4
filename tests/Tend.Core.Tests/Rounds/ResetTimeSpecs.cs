using System.Text.Json;
using Tend.Core.Rounds;

namespace Tend.Core.Tests.Rounds;

public sealed class ResetTimeSpecs
{
    private static readonly DateTimeOffset Now = new(2025, 12, 31, 20, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset NewYear = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1767225600")]
    [InlineData(" 1767225600 ")]
    [InlineData("1767225600000")]
    [InlineData("2026-01-01T00:00:00Z")]
    [InlineData("2026-01-01T01:00:00+01:00")]
    [InlineData("2025-12-31T19:00:00.000-05:00")]
    [InlineData("2026-01-01T00:00Z")]
    public void Epoch_seconds_milliseconds_and_iso_times_with_an_offset_are_read(string text) =>
        ResetTime.Parse(text, Now).ShouldBe(NewYear);

    [Fact]
    public void Fractional_epoch_seconds_are_read_to_the_millisecond() =>
        ResetTime.Parse("1767225600.5", Now).ShouldBe(NewYear.AddMilliseconds(500));

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1767225600")]
    [InlineData("2026-01-01T00:00:00")]
    [InlineData("2026-01-01")]
    [InlineData("01/01/2026 00:00:00 +00:00")]
    [InlineData("99999999999999999999999999")]
    public void Text_that_is_no_time_gives_none(string text) =>
        ResetTime.Parse(text, Now).ShouldBeNull();

    [Theory]
    [InlineData("0")]
    [InlineData("946684799")]
    [InlineData("1999-12-31T23:59:59Z")]
    public void A_time_before_2000_is_a_misread_field(string text) =>
        ResetTime.Parse(text, Now).ShouldBeNull();

    [Fact]
    public void A_time_more_than_30_days_ahead_is_a_misread_field_but_30_days_is_fine()
    {
        var limit = Now + TimeSpan.FromDays(30);

        ResetTime.Parse(limit.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Now).ShouldBe(limit);
        ResetTime.Parse((limit.ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Now).ShouldBeNull();
    }

    [Fact]
    public void A_time_already_past_is_still_read_so_the_wait_is_simply_over() =>
        ResetTime.Parse("1767225600", NewYear.AddHours(1)).ShouldBe(NewYear);

    [Theory]
    [InlineData("""{"v":1767225600}""", true)]
    [InlineData("""{"v":1767225600000}""", true)]
    [InlineData("""{"v":"1767225600"}""", true)]
    [InlineData("""{"v":"2026-01-01T00:00:00Z"}""", true)]
    [InlineData("""{"v":true}""", false)]
    [InlineData("""{"v":null}""", false)]
    [InlineData("""{"v":{"at":1767225600}}""", false)]
    public void Json_numbers_and_strings_are_read_and_other_values_are_not(string json, bool read)
    {
        using var document = JsonDocument.Parse(json);

        ResetTime.Parse(document.RootElement.GetProperty("v"), Now).ShouldBe(read ? NewYear : null);
    }
}
