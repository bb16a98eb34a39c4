using Tend.Daemon.Control.Protocol;

namespace Tend.Daemon.Tests.Control;

/// <summary>What a request may not ask, whoever sends it: a log's name that is a path would read directories of the host.</summary>
public sealed class RequestProblemsSpecs
{
    [Theory]
    [InlineData("../..")]
    [InlineData("/etc")]
    [InlineData(".ssh")]
    [InlineData("web/../../x")]
    public void A_log_asked_by_a_name_that_is_a_path_is_refused(string name)
    {
        RequestProblems.Of(new LogsRequest(name, null, 10, false))!.Code.ShouldBe(RequestProblems.Code);
        RequestProblems.Of(new LogFilesRequest(["web", name], true))!.Message.ShouldContain($"'{name}' is not a component name");
    }

    [Fact]
    public void A_log_asked_by_a_component_name_is_let_through()
    {
        RequestProblems.Of(new LogsRequest("web-1.api_v2", null, 10, false)).ShouldBeNull();
        RequestProblems.Of(new LogFilesRequest(["web", "db"], false)).ShouldBeNull();
        RequestProblems.Of(new LogFilesRequest([], false)).ShouldBeNull();
    }
}
