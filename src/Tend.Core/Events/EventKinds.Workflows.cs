namespace Tend.Core.Events;

public static partial class EventKinds
{
    /// <summary>The events of workflow runs (docs/workflows.md). Nested for the same reason as <see cref="Rounds"/>.</summary>
    public static class Workflows
    {
        private static readonly EventFieldSpec Workflow = Str("workflow", "the workflow's name");
        private static readonly EventFieldSpec RunId = Str("run", "the run's id, as `tend workflow show RUN` takes it");
        private static readonly EventFieldSpec Step = Str("step", "the step's id");
        private static readonly EventFieldSpec Attempt = Int("attempt", "the attempt: 1 for the first, one more on each retry");
        private static readonly EventFieldSpec Reason = Str("reason", "why, in words");

        public static readonly EventKind WorkflowStarted = Stack(
            "workflow_started",
            "A run of a workflow began (or a run was resumed: `resumed_from` names the run it goes on with).",
            Workflow,
            RunId,
            Int("pid", "the process that runs it"),
            Int("steps", "how many steps the workflow has"),
            Str("resumed_from", "the run it resumes", optional: true));

        public static readonly EventKind WorkflowFinished = Stack(
            "workflow_finished",
            "A run ended: `succeeded`, `failed` or `stopped` (a budget, its timeout, Ctrl+C), with why.",
            Workflow,
            RunId,
            Str("outcome", "`succeeded`, `failed` or `stopped`"),
            Str("reason", "why it failed or stopped", optional: true),
            Int("duration_ms", "from its start"),
            Int("tokens", "the tokens its steps reported"));

        public static readonly EventKind StepStarted = Stack(
            "step_started",
            "An attempt of a step started.",
            Workflow,
            RunId,
            Step,
            Attempt,
            Int("pid", "its process, which leads its own process group"),
            List("argv", "the command, placeholders filled"));

        public static readonly EventKind StepSucceeded = Stack(
            "step_succeeded",
            "A step exited 0 and its artifacts passed their checks (or a paused step was approved).",
            Workflow,
            RunId,
            Step,
            Attempt,
            Int("duration_ms", "from its first attempt's start"),
            Str("cached_from", "with policy.cache: the earlier run whose success stands for this one; the step did not run", optional: true));

        public static readonly EventKind StepFailed = Stack(
            "step_failed",
            "A step failed for good (no retry left, or one its retry policy does not cover).",
            Workflow,
            RunId,
            Step,
            Attempt,
            Reason,
            Int("exit_code", "its exit status, when it exited", optional: true));

        public static readonly EventKind StepRetrying = Stack(
            "step_retrying",
            "An attempt failed in a way the step's retry policy covers: the next starts after the back-off.",
            Workflow,
            RunId,
            Step,
            Attempt,
            Reason,
            Int("delay_ms", "the back-off before the next attempt"),
            Str("class", "the failure's class as the rounds classifier read it", optional: true));

        public static readonly EventKind StepSkipped = Stack(
            "step_skipped",
            "A step's `when` was false: it did not run, and what needs it to succeed is omitted.",
            Workflow,
            RunId,
            Step,
            Str("when", "the condition"));

        public static readonly EventKind StepOmitted = Stack(
            "step_omitted",
            "A step was never run: an upstream it needs failed, was skipped or omitted, or the run stopped first.",
            Workflow,
            RunId,
            Step,
            Reason);

        public static readonly EventKind StepPaused = Stack(
            "step_paused",
            "A step with `on_fail = \"pause_for_review\"` failed: it waits for `tend workflow approve RUN STEP` or `reject`.",
            Workflow,
            RunId,
            Step,
            Reason);

        public static readonly EventKind StepApproved = Stack(
            "step_approved",
            "A paused step was approved: it counts as succeeded.",
            Workflow,
            RunId,
            Step);

        public static readonly EventKind StepRejected = Stack(
            "step_rejected",
            "A paused step was rejected: it failed, and the run stops as with `on_fail = \"stop\"`.",
            Workflow,
            RunId,
            Step,
            Str("reason", "the reviewer's reason", optional: true));

        public static IReadOnlyList<EventKind> All => [WorkflowStarted, WorkflowFinished, StepStarted, StepSucceeded, StepFailed, StepRetrying, StepSkipped, StepOmitted, StepPaused, StepApproved, StepRejected];
    }
}
