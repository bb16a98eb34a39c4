namespace Tend.Core.Tests.Workflows.Conditions;

/// <summary>What linters really write, copied from their output on a small flawed project.</summary>
internal static class LintSamples
{
    /// <summary><c>ruff check --output-format json</c> with one finding.</summary>
    public const string Ruff = """
        [
          {
            "cell": null,
            "code": "F401",
            "end_location": {"column": 10, "row": 1},
            "filename": "/work/app/models.py",
            "fix": {"applicability": "safe", "edits": [{"content": "", "end_location": {"column": 1, "row": 2}, "location": {"column": 1, "row": 1}}], "message": "Remove unused import: `os`"},
            "location": {"column": 8, "row": 1},
            "message": "`os` imported but unused",
            "noqa_row": 1,
            "url": "https://docs.astral.sh/ruff/rules/unused-import"
          }
        ]
        """;

    /// <summary><c>ruff check --output-format json</c> on a clean project.</summary>
    public const string RuffClean = "[]\n";

    /// <summary><c>mypy -O json</c>: one diagnostic per line, notes among them.</summary>
    public const string Mypy = """
        {"file": "app/models.py", "line": 12, "column": 11, "message": "Incompatible return value type (got \"str\", expected \"int\")", "hint": null, "code": "return-value", "severity": "error"}
        {"file": "app/models.py", "line": 3, "column": 0, "message": "See https://mypy.rtfd.io/en/stable/_refs.html#code-return-value for more info", "hint": null, "code": null, "severity": "note"}
        """;

    /// <summary><c>mypy -O json</c> with notes only.</summary>
    public const string MypyNotesOnly = """
        {"file": "app/models.py", "line": 3, "column": 0, "message": "By default the bodies of untyped functions are not checked", "hint": null, "code": "annotation-unchecked", "severity": "note"}
        {"file": "app/views.py", "line": 9, "column": 0, "message": "By default the bodies of untyped functions are not checked", "hint": null, "code": "annotation-unchecked", "severity": "note"}
        """;

    /// <summary><c>eslint -f json</c>: one report per file, clean.</summary>
    public const string EslintClean = """
        [{"filePath": "/work/web/index.js", "messages": [], "suppressedMessages": [], "errorCount": 0, "fatalErrorCount": 0, "warningCount": 0, "fixableErrorCount": 0, "fixableWarningCount": 0, "usedDeprecatedRules": []}]
        """;

    /// <summary><c>eslint -f json</c> with one error (severity 2).</summary>
    public const string Eslint = """
        [{"filePath": "/work/web/index.js", "messages": [{"ruleId": "no-undef", "severity": 2, "message": "'x' is not defined.", "line": 1, "column": 1}], "errorCount": 1, "warningCount": 0}]
        """;
}
