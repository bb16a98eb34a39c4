using Tend.Core.Tests.Support;
using Tend.Daemon.Processes.Cgroups;

namespace Tend.Daemon.Tests.Stopping;

/// <summary>The daemon's own cgroup is found from the kernel's word (mountinfo and /proc/self/cgroup), wherever cgroup2 is mounted.</summary>
public sealed class CgroupLocationSpecs
{
    private const string Hybrid = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    private const string Unified = "29 22 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";

    private static (string? Directory, string? Problem) Locate(string mountInfo, string cgroup)
    {
        using var proc = new TempDirectory();
        proc.Write("mountinfo", mountInfo);
        proc.Write("cgroup", cgroup);
        return CgroupLocation.OfThisProcess(proc.Path);
    }

    [Fact]
    public void On_a_hybrid_layout_the_unified_hierarchy_is_the_cgroup2_mount_beside_the_v1_controllers() =>
        Locate(Hybrid, "4:memory:/process_api/x\n0::/\n").Directory.ShouldBe("/sys/fs/cgroup/unified");

    [Fact]
    public void Under_systemd_the_daemon_is_in_its_units_cgroup_which_delegation_makes_writable() =>
        Locate(Unified, "0::/user.slice/user-1000.slice/user@1000.service/app.slice/tend.service\n").Directory
            .ShouldBe("/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/tend.service");

    [Fact]
    public void A_mount_of_a_subtree_is_followed_from_its_root() =>
        Locate("50 40 0:30 /kubepods/pod1 /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n", "0::/kubepods/pod1/app\n").Directory.ShouldBe("/sys/fs/cgroup/app");

    [Fact]
    public void A_mount_point_with_a_space_is_unescaped() =>
        Locate("41 31 0:38 / /mnt/cg\\040two rw - cgroup2 none rw\n", "0::/a\n").Directory.ShouldBe("/mnt/cg two/a");

    [Fact]
    public void Without_a_cgroup2_mount_there_is_no_cgroup_and_the_reason_says_so() =>
        Locate("35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n", "0::/\n").Problem.ShouldBe("no cgroup2 file system is mounted");

    [Fact]
    public void A_process_only_in_v1_hierarchies_has_no_cgroup() =>
        Locate(Hybrid, "4:memory:/x\n").Problem.ShouldNotBeNull().ShouldContain("no 0:: line");

    [Fact]
    public void A_cgroup_outside_the_mounted_subtree_cannot_be_reached() =>
        Locate("50 40 0:30 /kubepods/pod1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "0::/system.slice/x\n").Problem.ShouldNotBeNull().ShouldContain("outside the cgroup2 mount");
}
