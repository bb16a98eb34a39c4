using System.Net;
using System.Net.Sockets;
using Tend.Core.Model;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Checks;

/// <summary>Checks of this host: ports, files, directories, disks, programs, Docker and GPUs.</summary>
public sealed class HostCheckSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task A_taken_port_names_the_process_that_holds_it()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;

            var outcome = await Checking.RunAsync($"{{ port-free = {port} }}");

            outcome.ErrorClass.ShouldBe("taken");
            outcome.Data["pid"].ShouldBe(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            outcome.Summary.ShouldBe($"port {port} held by pid {Environment.ProcessId} ({outcome.Data["program"]})");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task A_free_port_passes() =>
        (await Checking.RunAsync($"{{ port-free = {LocalServer.FreePort()} }}")).Status.ShouldBe(CheckStatus.Pass);

    [Fact(Timeout = 30_000)]
    public async Task A_listener_on_another_address_does_not_clash_with_a_specific_one()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;

            (await Checking.RunAsync($"{{ port-free = \"127.0.0.2:{port}\" }}")).Status.ShouldBe(CheckStatus.Pass);
            (await Checking.RunAsync($"{{ port-free = \"127.0.0.1:{port}\" }}")).ErrorClass.ShouldBe("taken");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_config_with_a_sample_points_at_the_sample()
    {
        using var directory = new TempDirectory();
        directory.Write("app.sample.toml", "port = 1\n");

        var outcome = await Checking.RunAsync("{ file = \"app.toml\", sample = \"app.sample.toml\", parse = \"toml\" }", directory.Path);

        outcome.ErrorClass.ShouldBe("missing_with_sample");
        outcome.Data["sample"].ShouldBe(Path.Combine(directory.Path, "app.sample.toml"), "without a directory the user types from (the daemon's case), paths are absolute");
    }

    [Fact(Timeout = 30_000)]
    public async Task Paths_in_next_steps_work_from_where_the_user_stands()
    {
        using var directory = new TempDirectory();
        directory.Write("conf/app.sample.toml", "port = 1\n");
        directory.Write("web/static/index.html", "");
        var spec = Checking.Bind("{ file = \"conf/app.toml\", sample = \"conf/app.sample.toml\" }", directory.Path);
        CheckContext From(string here) => new() { BaseDirectory = directory.Path, ShownFrom = Path.Combine(directory.Path, here) };

        var atTheStack = await spec.RunAsync(From("."), TestContext.Current.CancellationToken);
        var inASubdirectory = await spec.RunAsync(From("web/static"), TestContext.Current.CancellationToken);

        atTheStack.Data["sample"].ShouldBe("conf/app.sample.toml");
        inASubdirectory.Data["sample"].ShouldBe("../../conf/app.sample.toml");
        inASubdirectory.Data["path"].ShouldBe("../../conf/app.toml");

        // Typed from there, the copy the diagnosis prints works.
        var copy = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cp", [inASubdirectory.Data["sample"], inASubdirectory.Data["path"]]) { WorkingDirectory = Path.Combine(directory.Path, "web/static") })!;
        await copy.WaitForExitAsync(TestContext.Current.CancellationToken);
        copy.ExitCode.ShouldBe(0);
        (await spec.RunAsync(From("web/static"), TestContext.Current.CancellationToken)).Status.ShouldBe(CheckStatus.Pass);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("app.toml", "toml", "a = 1\nb = \n", "2:")]
    [InlineData("deep.toml", "toml", "x = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", "1:1: The maximum depth")]
    [InlineData("app.json", "json", "{\n  \"a\": 1,\n  \"b\": }\n", "3:")]
    [InlineData("app.yaml", "yaml", "a: 1\nb: [1, 2\nc: 3\n", "")]
    [InlineData("list.yaml", "yaml", "a: 1\n  b: 2\n", "2:")]
    public async Task A_file_that_does_not_parse_says_where(string name, string format, string content, string place)
    {
        using var directory = new TempDirectory();
        directory.Write(name, content);

        var outcome = await Checking.RunAsync($"{{ file = \"{name}\", parse = \"{format}\" }}", directory.Path);

        outcome.ErrorClass.ShouldBe("parse");
        outcome.Summary.ShouldStartWith($"{name} is not valid {format.ToUpperInvariant()}: {place}");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_file_that_parses_passes()
    {
        using var directory = new TempDirectory();
        directory.Write("app.yaml", "a: 1\nb: [1, 2]\n");

        (await Checking.RunAsync("{ file = \"app.yaml\", parse = \"auto\" }", directory.Path)).Status.ShouldBe(CheckStatus.Pass);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_directory_is_writable_missing_or_a_file()
    {
        using var directory = new TempDirectory();
        directory.Write("file", "x");

        (await Checking.RunAsync("{ dir-writable = \".\" }", directory.Path)).Status.ShouldBe(CheckStatus.Pass);
        (await Checking.RunAsync("{ dir-writable = \"logs\" }", directory.Path)).ErrorClass.ShouldBe("not_found");
        (await Checking.RunAsync("{ dir-writable = \"file\" }", directory.Path)).ErrorClass.ShouldBe("not_a_directory");
        Directory.GetFiles(directory.Path).ShouldBe([Path.Combine(directory.Path, "file")]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Disk_space_warns_and_fails_below_its_thresholds()
    {
        (await Checking.RunAsync("{ disk-space = \"/tmp\", warn_below = \"1kB\", fail_below = \"1B\" }")).Status.ShouldBe(CheckStatus.Pass);
        (await Checking.RunAsync("{ disk-space = \"/tmp\", warn_below = \"99%\", fail_below = \"1B\" }")).Status.ShouldBe(CheckStatus.Warn);
        var full = await Checking.RunAsync("{ disk-space = \"/tmp\", warn_below = \"99%\", fail_below = \"1000TB\" }");
        full.ErrorClass.ShouldBe("low_space");
        full.Status.ShouldBe(CheckStatus.Fail);
    }

    [Fact(Timeout = 30_000)]
    public async Task Disk_space_of_a_directory_not_made_yet_says_where_it_measured()
    {
        var outcome = await Checking.RunAsync("{ disk-space = \"/tmp/tend-not-made-yet/docker\", warn_below = \"1kB\", fail_below = \"1B\" }");

        outcome.Status.ShouldBe(CheckStatus.Pass);
        outcome.Summary.ShouldContain("on /tmp, where /tmp/tend-not-made-yet/docker will be (/tmp/tend-not-made-yet/docker does not exist yet)");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_program_is_found_on_path_and_its_version_compared()
    {
        (await Checking.RunAsync("{ command = \"sh\" }")).Status.ShouldBe(CheckStatus.Pass);
        (await Checking.RunAsync("{ command = \"python3\", min_version = \"3.0\" }")).Status.ShouldBe(CheckStatus.Pass);
        var old = await Checking.RunAsync("{ command = \"python3\", min_version = \"99.1\" }");
        old.ErrorClass.ShouldBe("version_too_old");
        (await Checking.RunAsync("{ command = \"no-such-program-here\" }")).ErrorClass.ShouldBe("not_on_path");
    }

    [Fact(Timeout = 30_000)]
    public async Task Exec_compares_the_exit_code_and_the_output()
    {
        (await Checking.RunAsync("{ exec = [\"sh\", \"-c\", \"echo ready\"], output = \"^ready\" }")).Status.ShouldBe(CheckStatus.Pass);
        var failed = await Checking.RunAsync("{ exec = [\"sh\", \"-c\", \"echo broken >&2; exit 3\"] }");
        failed.ErrorClass.ShouldBe("exit_code");
        failed.ExitCode.ShouldBe(3);
        failed.Facts.ShouldContain("output: broken");
        (await Checking.RunAsync("{ exec = [\"sh\", \"-c\", \"echo starting\"], output = \"ready\" }")).ErrorClass.ShouldBe("output_mismatch");
        (await Checking.RunAsync("{ exec = [\"./nope\"] }")).ErrorClass.ShouldBe("not_found");
    }

    [Fact(Timeout = 30_000)]
    public async Task Docker_without_its_socket_is_a_clear_answer()
    {
        var outcome = await Checking.RunAsync("{ docker = \"unix:///tmp/tend-no-such-docker.sock\" }");

        outcome.ErrorClass.ShouldBe("no_socket");
    }

    [Fact(Timeout = 30_000)]
    public async Task Docker_is_pinged_over_its_unix_socket()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "docker.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen();
        var serve = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var client = await socket.AcceptAsync(TestContext.Current.CancellationToken);
                var buffer = new byte[4096];
                var read = await client.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
                var request = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
                var body = request.StartsWith("GET /_ping", StringComparison.Ordinal) ? "OK" : """{"Version":"27.1.0"}""";
                await client.SendAsync(System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"), TestContext.Current.CancellationToken);
            }
        }, TestContext.Current.CancellationToken);

        var outcome = await Checking.RunAsync($"{{ docker = \"unix://{path}\" }}");
        await serve;

        outcome.Status.ShouldBe(CheckStatus.Pass, string.Join("; ", outcome.Facts));
        outcome.Summary.ShouldBe("Docker 27.1.0 is running");
    }

    [Fact(Timeout = 30_000)]
    public async Task No_gpu_is_a_clear_result_and_only_a_warning_when_optional()
    {
        using var directory = new TempDirectory();

        var outcome = await Checking.RunAsync("{ gpu = \"nvidia\" }", environment: name => name == "PATH" ? directory.Path : null);

        outcome.ErrorClass.ShouldBe("no_gpu");
        outcome.Facts.ShouldContain("nvidia-smi is not on PATH");
    }

    [Fact(Timeout = 30_000)]
    public async Task Gpus_are_read_from_nvidia_smi()
    {
        using var directory = new TempDirectory();
        var smi = directory.Write("nvidia-smi", "#!/bin/sh\necho '0, NVIDIA A100-SXM4-40GB, 535.104.05, 40960 MiB'\necho '1, NVIDIA A100-SXM4-40GB, 535.104.05, 40960 MiB'\n");
        File.SetUnixFileMode(smi, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);

        var two = await Checking.RunAsync("{ gpu = \"nvidia\", min_count = 2 }", environment: name => name == "PATH" ? directory.Path : null);
        var four = await Checking.RunAsync("{ gpu = \"nvidia\", min_count = 4 }", environment: name => name == "PATH" ? directory.Path : null);

        two.Status.ShouldBe(CheckStatus.Pass);
        two.Summary.ShouldBe("2 GPU(s): NVIDIA A100-SXM4-40GB; NVIDIA A100-SXM4-40GB");
        four.ErrorClass.ShouldBe("too_few_gpus");
    }
}
