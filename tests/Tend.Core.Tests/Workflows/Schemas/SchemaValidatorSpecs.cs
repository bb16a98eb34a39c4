using System.Text.Json;
using Tend.Core.Workflows.Schemas;

namespace Tend.Core.Tests.Workflows.Schemas;

/// <summary>An artifact is checked against its JSON Schema by pointer; a schema tend cannot check fully is refused, not half applied.</summary>
public sealed class SchemaValidatorSpecs
{
    private const string Lint = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "array",
          "items": { "$ref": "#/$defs/finding" },
          "$defs": {
            "finding": {
              "type": "object",
              "required": ["file", "line", "code"],
              "additionalProperties": false,
              "properties": {
                "file": { "type": "string", "pattern": "\\.py$" },
                "line": { "type": "integer", "minimum": 1 },
                "code": { "enum": ["E501", "F401"] },
                "fix": { "oneOf": [{ "type": "null" }, { "type": "string", "minLength": 1 }] }
              }
            }
          }
        }
        """;

    [Fact]
    public void A_matching_document_has_no_errors()
    {
        Errors(Lint, """[{"file": "a.py", "line": 3, "code": "E501", "fix": null}, {"file": "b.py", "line": 1, "code": "F401"}]""").ShouldBeEmpty();
    }

    [Fact]
    public void Each_error_names_its_pointer_and_keyword()
    {
        var errors = Errors(Lint, """[{"file": "a.txt", "line": 0, "code": "W1", "extra": 1}, {"line": 2.5, "code": "E501", "fix": ""}, 7]""");

        errors.ShouldContain(new SchemaError("/0/file", "pattern", "\"a.txt\" does not match \\.py$"));
        errors.ShouldContain(e => e.Pointer == "/0/line" && e.Keyword == "minimum");
        errors.ShouldContain(e => e.Pointer == "/0/code" && e.Keyword == "enum");
        errors.ShouldContain(e => e.Pointer == "/0/extra" && e.Keyword == "additionalProperties");
        errors.ShouldContain(new SchemaError("/1", "required", "'file' is required"));
        errors.ShouldContain(new SchemaError("/1/line", "type", "expected integer, found a number"));
        errors.ShouldContain(e => e.Pointer == "/1/fix" && e.Keyword == "oneOf");
        errors.ShouldContain(new SchemaError("/2", "type", "expected object, found an integer"));
    }

    [Theory]
    [InlineData("""{ "type": "object", "unevaluatedProperties": false }""", "unevaluatedProperties")]
    [InlineData("""{ "$ref": "https://example.com/schema.json" }""", "not a reference within this schema")]
    [InlineData("""{ "properties": { "a": { "pattern": "(" } } }""", "not a regular expression")]
    [InlineData("""{ "type": """, "not JSON")]
    [InlineData("""{ "properties": { "a": { "pattern": 5 } } }""", "#/properties/a/pattern: must be a string, found 5")]
    [InlineData("""{ "minLength": "x" }""", "#/minLength: must be a whole number, 0 or more")]
    [InlineData("""{ "type": "text" }""", "#/type: must be a type name")]
    [InlineData("""{ "required": [1] }""", "#/required: must be an array of property names")]
    [InlineData("""{ "$ref": 3 }""", "#/$ref: must be a string")]
    public void A_schema_it_cannot_check_fully_is_refused_with_the_reason(string schema, string reason)
    {
        var (validator, problem) = SchemaValidator.Read(schema);

        validator.ShouldBeNull();
        problem.ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void Conditions_and_tuples_apply_where_they_say()
    {
        const string schema = """
            {
              "type": "object",
              "if": { "properties": { "kind": { "const": "lint" } } },
              "then": { "required": ["findings"] },
              "else": { "not": { "required": ["findings"] } },
              "properties": { "pair": { "prefixItems": [{ "type": "string" }, { "type": "number" }], "items": false, "uniqueItems": true, "minItems": 2 } }
            }
            """;

        Errors(schema, """{"kind": "lint", "findings": [], "pair": ["a", 1]}""").ShouldBeEmpty();
        Errors(schema, """{"kind": "lint"}""").ShouldHaveSingleItem().Keyword.ShouldBe("required");
        Errors(schema, """{"kind": "types", "findings": []}""").ShouldHaveSingleItem().Keyword.ShouldBe("not");
        Errors(schema, """{"kind": "x", "pair": [1, "a", 3]}""").Select(e => e.Pointer).ShouldBe(["/pair/0", "/pair/1", "/pair/2"], ignoreOrder: true);
    }

    private static IReadOnlyList<SchemaError> Errors(string schema, string document)
    {
        var (validator, problem) = SchemaValidator.Read(schema);
        validator.ShouldNotBeNull(problem);
        using var parsed = JsonDocument.Parse(document);
        return validator.Validate(parsed.RootElement);
    }
}
