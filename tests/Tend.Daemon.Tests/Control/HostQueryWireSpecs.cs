using System.Text.Json;
using Tend.Core.Doctor;
using Tend.Core.Knowledge;
using Tend.Core.Model;
using Tend.Daemon.Control.Protocol;

namespace Tend.Daemon.Tests.Control;

/// <summary>The answers only `tend api --stdio` gives cross the wire whole: a doctor report read back on the client is the one the host made.</summary>
public sealed class HostQueryWireSpecs
{
    [Fact]
    public void A_doctor_report_read_back_from_the_wire_is_the_hosts_report()
    {
        var report = new DoctorReport(
            "shop",
            "running",
            [
                new Finding("db", "external", [new Symptom(SymptomSource.Health, CheckStatus.Fail, "tcp 127.0.0.1:5432: connection refused", ["port 5432"], new Diagnosis("tcp-refused", "Nothing listens", ["Start it", "See: `ss -ltnp`"]), null)], [new Consequence("api", "requires it healthy")]),
                new Finding("api", "service", [new Symptom(SymptomSource.State, CheckStatus.Warn, "restarted twice", [], null, "tend logs api")], []),
                new Finding(null, "daemon", [new Symptom(SymptomSource.Daemon, CheckStatus.Fail, "unsupervised", [], null, "tend up")], []),
            ],
            [new NotChecked("web", "http", "api")],
            4,
            2);
        var json = DoctorReportJson.Of(report, TimeSpan.FromMilliseconds(123.4));

        var line = JsonSerializer.Serialize(new ControlReply(3, ReplyTypes.Result) { Doctor = new DoctorResult(json) }, ProtocolJson.Default.ControlReply);
        var read = JsonSerializer.Deserialize(line, ProtocolJson.Default.ControlReply)!.Doctor!.Report;

        var again = DoctorReportJson.Of(read.ToReport(), read.Duration());
        JsonSerializer.Serialize(again, DoctorJson.Default.DoctorReportJson).ShouldBe(JsonSerializer.Serialize(json, DoctorJson.Default.DoctorReportJson));
        read.ToReport().Status.ShouldBe(CheckStatus.Fail);
    }

    [Fact]
    public void A_log_files_answer_names_the_runs_on_disk()
    {
        var files = new LogFilesResult("shop", "/srv/.tend", [new ComponentLogFiles("api", "/srv/.tend/logs/api", true, [new LogRunReply(2, 1024, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(5), true)])]);

        var line = JsonSerializer.Serialize(new ControlReply(4, ReplyTypes.Result) { LogFiles = files }, ProtocolJson.Default.ControlReply);

        line.ShouldContain("\"log_files\":{\"stack\":\"shop\",\"state_directory\":\"/srv/.tend\"");
        var read = JsonSerializer.Deserialize(line, ProtocolJson.Default.ControlReply)!.LogFiles!;
        read.Components.ShouldHaveSingleItem().Runs.ShouldHaveSingleItem().ShouldBe(files.Components[0].Runs[0]);
    }
}
