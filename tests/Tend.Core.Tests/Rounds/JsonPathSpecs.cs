using System.Text.Json;
using Tend.Core.Model;
using Tend.Core.Rounds;

namespace Tend.Core.Tests.Rounds;

public sealed class JsonPathSpecs
{
    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Fact]
    public void A_dotted_path_reaches_a_nested_field()
    {
        var root = Parse("""{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1767225600}}""");

        JsonPath.TryGet(root, "rate_limit_info.resetsAt", out var value).ShouldBeTrue();
        value.GetInt64().ShouldBe(1767225600);
    }

    [Fact]
    public void A_number_segment_indexes_an_array()
    {
        var root = Parse("""{"message":{"content":[{"type":"text","text":"first"},{"type":"text","text":"second"}]}}""");

        JsonPath.TryGet(root, "message.content.1.text", out var value).ShouldBeTrue();
        value.GetString().ShouldBe("second");
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("a.missing")]
    [InlineData("a.b.c")]
    [InlineData("list.2")]
    [InlineData("list.x")]
    [InlineData("a.b.0")]
    public void A_path_that_leads_nowhere_finds_nothing(string path)
    {
        var root = Parse("""{"a":{"b":"text"},"list":[1,2]}""");

        JsonPath.TryGet(root, path, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"v":"rejected"}""", "rejected")]
    [InlineData("""{"v":429}""", "429")]
    [InlineData("""{"v":0.0123}""", "0.0123")]
    [InlineData("""{"v":true}""", "true")]
    [InlineData("""{"v":false}""", "false")]
    [InlineData("""{"v":null}""", "null")]
    public void Scalars_compare_as_the_text_a_stack_file_writes(string json, string text)
    {
        JsonPath.TryGet(Parse(json), "v", out var value).ShouldBeTrue();

        JsonPath.Text(value).ShouldBe(text);
    }

    [Fact]
    public void Objects_and_arrays_have_no_text_so_no_condition_holds_on_them()
    {
        var root = Parse("""{"o":{"a":1},"l":[]}""");

        JsonPath.Holds(root, new JsonCondition("o", """{"a":1}""")).ShouldBeFalse();
        JsonPath.Holds(root, new JsonCondition("l", "[]")).ShouldBeFalse();
    }

    [Fact]
    public void A_condition_holds_only_on_the_expected_value()
    {
        var root = Parse("""{"type":"result","api_error_status":429}""");

        JsonPath.Holds(root, new JsonCondition("api_error_status", "429")).ShouldBeTrue();
        JsonPath.Holds(root, new JsonCondition("api_error_status", "401")).ShouldBeFalse();
        JsonPath.Holds(root, new JsonCondition("subtype", "429")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("type", true)]
    [InlineData("rate_limit_info.resetsAt", true)]
    [InlineData("content.0.text", true)]
    [InlineData("", false)]
    [InlineData("a..b", false)]
    [InlineData(".a", false)]
    [InlineData("a.", false)]
    public void A_path_with_an_empty_field_name_is_not_valid(string path, bool valid) =>
        JsonPath.IsValid(path).ShouldBe(valid);
}
