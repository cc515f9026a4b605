using System.Collections.Concurrent;
using Mesos.Orleans.AgentHost.Connection;
using Mesos.Orleans.AgentHost.Containers;
using Mesos.Orleans.AgentHost.Isolation;
using Mesos.Orleans.AgentHost.Resources;
using Mesos.Orleans.AgentHost.Tasks;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost;

/// <summary>The agent's state and its answers to the master's events: run, kill, acknowledge, shut down.
/// Task processes report their ends through the status update manager.</summary>
public sealed class AgentDaemon : IDisposable
{
    /// <summary>Terminal, acknowledged tasks kept for the state endpoint, most recent last.</summary>
    public const int MaxCompletedTasks = 1000;

    /// <summary>How old an empty cgroup must be before a starting agent removes it as left over.</summary>
    private static readonly TimeSpan StaleCgroupAge = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(FrameworkId Framework, TaskId Task), RunningTask> _tasks = new();
    private readonly ConcurrentQueue<RunningTask> _completed = new();
    private readonly HttpClient _fetchHttp = new() { Timeout = TimeSpan.FromMinutes(10) };
    private readonly ILogger<AgentDaemon> _logger;
    private readonly TimeProvider _time;

    public AgentDaemon(AgentOptions options, TimeProvider time, ILogger<AgentDaemon> logger)
    {
        Options = options;
        _time = time;
        _logger = logger;
        Directory.CreateDirectory(options.WorkDir);
        Resources = ResourceDiscovery.Discover(options.Resources, options.WorkDir);
        Attributes = AttributeParser.Parse(options.Attributes);
        Master = new MasterClient(options.Masters);
        Updates = new StatusUpdateManager(SendUpdateAsync, time, options.StatusUpdateRetry, options.MaxStatusUpdateRetry);
        if (AgentIdentity.HostRebooted(options.WorkDir))
        {
            logger.LogWarning("The host rebooted since this agent last ran: its old tasks are gone and it registers as a new agent");
        }

        AgentId = AgentIdentity.Load(options.WorkDir);
        Executor = ExecutorBinary.Locate(options.LauncherDir);
        Images = new ImageStore(options.WorkDir, options.DockerRegistry);
        Isolator = options.Isolation switch
        {
            "posix" => null,
            "cgroups" => CgroupIsolator.Detect() ?? throw new InvalidOperationException("--isolation=cgroups needs cgroups mounted and the agent running as root"),
            null => CgroupIsolator.Detect(),
            var other => throw new ArgumentException($"--isolation must be 'cgroups' or 'posix', not '{other}'"),
        };
        _logger.LogInformation("Tasks are isolated with {Isolation}", Isolator?.Version ?? "posix processes (no cgroups)");
        LaunchStage.Clear(options.WorkDir);
        Executors = new ExecutorPool(Executor, Isolator, options.WorkDir, options.PrestartedExecutors, logger);
        Updates.Persist = PersistUpdates;
        Updates.PersistBackoff = PersistBackoff;
        Recover();
    }

    /// <summary>Makes each task's cgroup; null with posix isolation.</summary>
    public CgroupIsolator? Isolator { get; }

    public AgentOptions Options { get; }

    /// <summary>The path of mesos-executor, which supervises each task.</summary>
    public string Executor { get; }

    /// <summary>Executors started ahead of the tasks they will supervise.</summary>
    public ExecutorPool Executors { get; }

    /// <summary>Container images unpacked for tasks that ask for one.</summary>
    public ImageStore Images { get; }

    public ResourceBag Resources { get; }

    public List<AgentAttribute> Attributes { get; }

    public MasterClient Master { get; }

    public StatusUpdateManager Updates { get; }

    /// <summary>Assigned by the master on first registration and kept in the work directory.</summary>
    public AgentId? AgentId { get; private set; }

    public IReadOnlyCollection<RunningTask> Tasks => (IReadOnlyCollection<RunningTask>)_tasks.Values;

    public IReadOnlyCollection<RunningTask> CompletedTasks => _completed;

    /// <summary>Tasks that reached each terminal state since the agent started (slave/tasks_finished …).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<TaskState, long> TerminalCounts { get; } = new();

    public DateTimeOffset StartTime { get; } = TimeProvider.System.GetUtcNow();

    public AgentInfo Info() => new()
    {
        Hostname = Options.Hostname,
        Port = Options.Port,
        Resources = Resources.ToWire(ResourceFormat.Endpoint),
        Attributes = Attributes.Count > 0 ? Attributes : null,
        Id = AgentId,
    };

    public Url Url() => new()
    {
        Scheme = "http",
        Address = new Address { Hostname = Options.Hostname, Ip = Options.Ip, Port = Options.Port },
        Path = "/slave(1)",
    };

    public List<AgentTask> TaskReport() =>
        [.. _tasks.Values.Select(t => new AgentTask { FrameworkId = t.FrameworkId, Task = t.Info, State = t.State })];

    public void Subscribed(AgentId id)
    {
        if (AgentId != id)
        {
            AgentId = id;
            AgentIdentity.Save(Options.WorkDir, id);
        }

        Updates.ResendAll();
    }

    public void Handle(AgentEvent @event)
    {
        switch (@event.Type)
        {
            case AgentEventType.RUN_TASK when @event.RunTask is { FrameworkId: not null, Task.TaskId: not null } run:
                Run(run);
                break;
            case AgentEventType.DESTROY_VOLUMES when @event.DestroyVolumes is { } destroy:
                PersistentVolumes.Destroy(Options.WorkDir, destroy.Volumes);
                break;
            case AgentEventType.RUN_TASK_GROUP when @event.RunTaskGroup is { FrameworkId: not null, Executor.ExecutorId: not null, Tasks.Count: > 0 } group:
                RunGroup(group);
                break;
            case AgentEventType.KILL_TASK when @event.KillTask is { FrameworkId: not null, TaskId: not null } kill:
                Kill(kill.FrameworkId, kill.TaskId, kill.KillPolicy);
                break;
            case AgentEventType.ACKNOWLEDGE when @event.Acknowledge is { FrameworkId: not null, TaskId: not null, Uuid: not null } ack:
                Acknowledged(ack);
                break;
            case AgentEventType.FRAMEWORK_MESSAGE when @event.FrameworkMessage is { } message:
                // A command task has no executor to read messages; Mesos's command executor drops them too.
                _logger.LogInformation(
                    "Dropping a {Bytes}-byte message from framework {Framework} for executor {Executor}: command executors take no messages",
                    message.Data?.Length ?? 0,
                    message.FrameworkId,
                    message.ExecutorId);
                break;
            case AgentEventType.SHUTDOWN_FRAMEWORK when @event.ShutdownFramework?.FrameworkId is { } framework:
                foreach (var task in _tasks.Values.Where(t => t.FrameworkId == framework))
                {
                    Kill(framework, task.Id, null);
                }

                break;
            default:
                break;
        }
    }

    public void Dispose()
    {
        _fetchHttp.Dispose();
        Executors.Dispose();
        Updates.Dispose();
        Master.Dispose();
    }

    private void Run(RunTask run)
    {
        var info = run.Task!;
        if (_tasks.ContainsKey((run.FrameworkId!, info.TaskId!)))
        {
            _logger.LogWarning("Ignoring a second RUN_TASK for task {Task}", info.TaskId);
            return;
        }

        // The task's only executor names its container, as in Mesos: its sandbox's run and its cgroup.
        var executor = Executors.TryTake();
        var containerId = executor?.Name ?? Guid.NewGuid().ToString();
        var sandbox = Sandbox.PathFor(Options.WorkDir, AgentId!, run.FrameworkId!, new ExecutorId(info.TaskId!.Value), containerId);
        var task = new RunningTask(run.FrameworkId!, run.Framework, info, sandbox, containerId) { Standby = executor };
        if (!_tasks.TryAdd((task.FrameworkId, task.Id), task))
        {
            executor?.Dispose();
            return;
        }

        _ = Task.Run(() => SuperviseAsync(task));
    }

    /// <summary>A task group under one default executor: one executor sandbox, each task in its own
    /// <c>tasks/TASK_ID</c> directory inside it (Mesos's layout), all started together.</summary>
    private void RunGroup(RunTaskGroup run)
    {
        var containerId = Guid.NewGuid().ToString();
        var executorId = run.Executor!.ExecutorId!;
        var executorSandbox = Sandbox.PathFor(Options.WorkDir, AgentId!, run.FrameworkId!, executorId, containerId);
        var members = new List<RunningTask>();
        foreach (var info in run.Tasks!.Where(t => t.TaskId is not null))
        {
            var task = new RunningTask(run.FrameworkId!, run.Framework, info, Path.Combine(executorSandbox, "tasks", info.TaskId!.Value), containerId)
            {
                ExecutorId = executorId,
                Group = members,
            };
            if (_tasks.TryAdd((task.FrameworkId, task.Id), task))
            {
                task.Standby = Executors.TryTake();
                members.Add(task);
            }
        }

        foreach (var task in members)
        {
            _ = Task.Run(() => SuperviseAsync(task));
        }
    }

    /// <summary>Starts the task and reports its life: STARTING, RUNNING, then how it ended.</summary>
    private async Task SuperviseAsync(RunningTask task)
    {
        // Until it is handed the task, the executor is this launch's to let go of if the launch fails.
        var executor = task.Standby;
        task.Standby = null;
        try
        {
            if (executor?.Stage is { } stage)
            {
                stage.PlaceSandbox(task.Sandbox);
            }
            else
            {
                Directory.CreateDirectory(task.Sandbox);
            }

            await Fetcher.FetchAsync(task.Info.Command?.Uris ?? [], task.Sandbox, _fetchHttp, CancellationToken.None).ConfigureAwait(false);
            PersistentVolumes.Link(task, Options.WorkDir);
            var user = TaskUser.Of(task, Options.SwitchUser);
            if (user is not null)
            {
                TaskUser.Own(task.Sandbox, user);
            }

            var limits = LimitsOf(task);
            // Each task of a group has an executor and a cgroup of its own inside the group's container.
            executor ??= Executors.StartNow(task.Group is null ? task.ContainerId : $"{task.ContainerId}-{task.Id}");
            task.CgroupName = executor.Name;
            if (ImageReference.NameOf(task.Info.Container) is { } image)
            {
                task.Container = Images.Provision(image, task.CgroupName);
            }

            task.Cgroup = executor.Cgroup;
            task.Cgroup?.Apply(limits);
            // Each report writes the task's checkpoint with its pending updates: the fields set just before it
            // (the task, then its executor's pid) go to disk in that same write, one file write per step. The
            // executor's pid is known before it has the task, so an agent that dies while handing it over
            // finds it again when it restarts.
            Checkpoint(task, save: false, executor);
            task.Checkpoint!.FirstWriteInto(executor.Stage?.TakeCheckpointFile());
            Report(task, TaskState.TASK_STARTING, null, null);
            task.Process = await ExecutorLauncher.StartAsync(executor, task, AgentId!, Options.Hostname, user, task.Container).ConfigureAwait(false);
            if (task.Killing && TaskStates.IsTerminal(task.State))
            {
                // Killed (and reported so) while its executor was starting: end what was started, report nothing more.
                Executors.Refill();
                KillCommandGroup(task);
                Signals.SendToGroup(task.Process.Id, Signals.SIGKILL);
                await task.Process.WaitForExitAsync().ConfigureAwait(false);
                await RemoveCgroupAsync(task).ConfigureAwait(false);
                ReleaseContainer(task);
                return;
            }

            Checkpoint(task, save: false);
            Report(task, TaskState.TASK_RUNNING, null, null);
            // Topped up only now: a prestart's process start would compete with this launch for the cores.
            Executors.Refill();
            using var checks = new CancellationTokenSource();
            if (task.Info.HealthCheck is { } check)
            {
                _ = new HealthChecker(task, check, _time, _fetchHttp).RunAsync(
                    healthy =>
                    {
                        Report(task, TaskState.TASK_RUNNING, TaskStatusReason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED, null, healthy);
                        return Task.CompletedTask;
                    },
                    () =>
                    {
                        task.KillMessage = "Task was killed because it failed its health check";
                        Kill(task.FrameworkId, task.Id, task.Info.KillPolicy);
                    },
                    checks.Token);
            }

            await task.Process.WaitForExitAsync().ConfigureAwait(false);
            await checks.CancelAsync().ConfigureAwait(false);
            var exit = TaskExit.Read(task.Sandbox) ?? new TaskExit(task.Process.ExitCode, null);
            var oom = task.Cgroup?.OomKilled() == true;
            await RemoveCgroupAsync(task).ConfigureAwait(false);
            ReleaseContainer(task);
            if (oom)
            {
                Report(task, TaskState.TASK_FAILED, TaskStatusReason.REASON_CONTAINER_LIMITATION_MEMORY,
                    $"Memory limit exceeded: Requested: {limits.MemoryBytes / (1024 * 1024)}MB; the kernel's OOM killer ended the task");
            }
            else if (task.Killing)
            {
                Report(task, TaskState.TASK_KILLED, null, task.KillMessage ?? "Command terminated by a kill request", task.KillMessage is null ? null : false);
            }
            else if (exit.Succeeded)
            {
                Report(task, TaskState.TASK_FINISHED, null, exit.Message);
            }
            else
            {
                Report(task, TaskState.TASK_FAILED, TaskStatusReason.REASON_COMMAND_EXECUTOR_FAILED, exit.Message);
            }

            // Mesos's default executor: a task of a group that fails or is killed ends the whole group.
            if ((!exit.Succeeded || task.Killing) && task.Group is { } group)
            {
                foreach (var member in group.Where(m => !ReferenceEquals(m, task)))
                {
                    Kill(member.FrameworkId, member.Id, member.Info.KillPolicy);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException or HttpRequestException)
        {
            _logger.LogError(e, "Task {Task} could not be launched", task.Id);
            LetGo(task, ref executor);
            await RemoveCgroupAsync(task).ConfigureAwait(false);
            ReleaseContainer(task);
            Report(task, TaskState.TASK_FAILED, TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED, $"Failed to launch the task: {e.Message}");
        }
        finally
        {
            // Whatever else ended the launch early, the executor it never handed the task to goes too.
            LetGo(task, ref executor);
        }
    }

    /// <summary>Lets a launch's executor go if the task was never handed to it (its process is the task's
    /// then), and tops the pool up for the next launch.</summary>
    private void LetGo(RunningTask task, ref StandbyExecutor? executor)
    {
        if (task.Process is null && executor is not null)
        {
            executor.Dispose();
            Executors.Refill();
        }

        executor = null;
    }

    /// <summary>Writes what the agent must remember about the task (its pid once it runs); with
    /// <paramref name="save"/> false, only sets it for the next write.</summary>
    private void Checkpoint(RunningTask task, bool save = true, StandbyExecutor? handingTo = null)
    {
        var checkpoint = task.Checkpoint ??= new TaskCheckpoint();
        lock (checkpoint)
        {
            var pid = task.Process?.Id ?? handingTo?.Process.Id ?? task.AdoptedPid;
            checkpoint.FrameworkId = task.FrameworkId;
            checkpoint.Framework = task.Framework;
            checkpoint.Task = task.Info;
            checkpoint.ExecutorId = task.ExecutorId;
            checkpoint.Sandbox = task.Sandbox;
            checkpoint.ContainerId = task.ContainerId;
            checkpoint.CgroupName = task.CgroupName;
            checkpoint.ContainerDirectory = task.Container?.ContainerDirectory;
            // The executor's start time is known from its launch, or unchanged since the last write for the same pid.
            checkpoint.PidStartTime = pid is not { } p ? null
                : task.Process is not null && task.ProcessStartTime is { } known ? known
                : handingTo is not null && handingTo.StartTime is { } standby ? standby
                : checkpoint.Pid == p && checkpoint.PidStartTime is { } kept ? kept
                : TaskCheckpoint.StartTimeOf(p);
            checkpoint.Pid = pid;
            checkpoint.CommandPid = task.CommandPid;
            checkpoint.State = task.State;
            if (save)
            {
                checkpoint.Save(Options.WorkDir);
            }
        }
    }

    /// <summary>Keeps a task's unacknowledged updates (and latest state) in its checkpoint.</summary>
    private void PersistUpdates(FrameworkId framework, TaskId taskId, IReadOnlyList<TaskStatus> pending)
    {
        if (!_tasks.TryGetValue((framework, taskId), out var task) || task.Checkpoint is not { } checkpoint)
        {
            return;
        }

        lock (checkpoint)
        {
            checkpoint.PendingUpdates = [.. pending];
            checkpoint.State = task.State;
            checkpoint.Save(Options.WorkDir);
        }
    }

    /// <summary>Keeps the backoff of a task's update in flight in its checkpoint.</summary>
    private void PersistBackoff(FrameworkId framework, TaskId taskId, TimeSpan backoff)
    {
        if (!_tasks.TryGetValue((framework, taskId), out var task) || task.Checkpoint is not { } checkpoint)
        {
            return;
        }

        lock (checkpoint)
        {
            checkpoint.UpdateBackoffSeconds = backoff.TotalSeconds;
            checkpoint.Save(Options.WorkDir);
        }
    }

    /// <summary>After a restart: tasks whose executor still runs are adopted and watched; tasks that ended while
    /// the agent was away are reported with the exit status their executor recorded; unacknowledged updates go
    /// out again at the next subscription. With --recover=cleanup adopted tasks are killed instead.</summary>
    private void Recover()
    {
        if (Isolator?.RemoveEmpty(_time.GetUtcNow() - StaleCgroupAge) is > 0 and var stale)
        {
            _logger.LogInformation("Removed {Count} empty cgroups left by executors that were killed before they ran a task", stale);
        }

        foreach (var checkpoint in TaskCheckpoint.LoadAll(Options.WorkDir))
        {
            var task = new RunningTask(checkpoint.FrameworkId!, checkpoint.Framework, checkpoint.Task!, checkpoint.Sandbox!, checkpoint.ContainerId!)
            {
                ExecutorId = checkpoint.ExecutorId ?? new ExecutorId(checkpoint.Task!.TaskId!.Value),
                State = checkpoint.State ?? TaskState.TASK_STAGING,
                CgroupName = checkpoint.CgroupName,
                CommandPid = checkpoint.CommandPid,
                Checkpoint = checkpoint,
                Container = checkpoint.ContainerDirectory is { } directory ? new ContainerRootFs(string.Empty, directory) : null,
            };
            _tasks[(task.FrameworkId, task.Id)] = task;
            Updates.Restore(task.FrameworkId, checkpoint.PendingUpdates ?? [], checkpoint.UpdateBackoffSeconds is { } backoff ? TimeSpan.FromSeconds(backoff) : null);
            if (TaskStates.IsTerminal(task.State))
            {
                continue;
            }

            if (task.CgroupName is { } cgroup && Isolator is not null)
            {
                task.Cgroup = Isolator.Prepare(cgroup);
            }

            var alive = checkpoint.Pid is { } pid && checkpoint.PidStartTime is { } started && TaskCheckpoint.StartTimeOf(pid) == started;
            _logger.LogInformation("Recovering task {Task}: its process {State}", task.Id, alive ? "is still running" : "ended while the agent was away");
            task.AdoptedPid = alive ? checkpoint.Pid : null;
            _ = Task.Run(() => WatchAdoptedAsync(task));
            if (alive && Options.Recover == "cleanup")
            {
                Kill(task.FrameworkId, task.Id, null);
            }
        }
    }

    /// <summary>Waits for an adopted task's executor to end, then reports how the task ended.</summary>
    private async Task WatchAdoptedAsync(RunningTask task)
    {
        while (task.AdoptedPid is { } pid && TaskCheckpoint.StartTimeOf(pid) is not null && !IsZombie(pid))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time).ConfigureAwait(false);
        }

        await RemoveCgroupAsync(task).ConfigureAwait(false);
        ReleaseContainer(task);
        var exit = TaskExit.Read(task.Sandbox);
        if (task.Killing)
        {
            Report(task, TaskState.TASK_KILLED, null, task.KillMessage ?? "Command terminated by a kill request");
        }
        else if (exit is { Succeeded: true })
        {
            Report(task, TaskState.TASK_FINISHED, null, exit.Message);
        }
        else if (exit is not null)
        {
            Report(task, TaskState.TASK_FAILED, TaskStatusReason.REASON_COMMAND_EXECUTOR_FAILED, exit.Message);
        }
        else
        {
            Report(task, TaskState.TASK_FAILED, TaskStatusReason.REASON_EXECUTOR_TERMINATED, "The task ended while the agent was away and left no exit status");
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private void KillAdopted(RunningTask task, int pid, KillPolicy? policy)
    {
        var grace = policy?.GracePeriod is { } g ? TimeSpan.FromTicks(g.Nanoseconds / 100) : Options.DefaultKillGracePeriod;
        Signals.SendToGroup(pid, Signals.SIGTERM);
        foreach (var member in task.Cgroup?.Pids() ?? [])
        {
            Signals.Send(member, Signals.SIGTERM);
        }

        _ = Task.Run(async () =>
        {
            await Task.Delay(grace, _time).ConfigureAwait(false);
            if (TaskCheckpoint.StartTimeOf(pid) is not null)
            {
                KillCommandGroup(task);
                Signals.SendToGroup(pid, Signals.SIGKILL);
                try
                {
                    task.Cgroup?.KillAll();
                }
                catch (IOException)
                {
                    // Gone already.
                }
            }
        });
    }

    /// <summary>Removes a container task's writable layer once it has ended.</summary>
    private void ReleaseContainer(RunningTask task)
    {
        if (task.Container is not { } container)
        {
            return;
        }

        try
        {
            ImageStore.Release(container);
        }
        catch (IOException e)
        {
            _logger.LogWarning(e, "The container directory of task {Task} could not be removed", task.Id);
        }
    }

    /// <summary>SIGKILL to the task's own process group (the executor started it in a session of its own),
    /// while its executor is known to be alive still, so the pid cannot have been reused.</summary>
    private static void KillCommandGroup(RunningTask task)
    {
        if (task.CommandPid is { } command)
        {
            Signals.SendToGroup(command, Signals.SIGKILL);
        }
    }

    private TaskLimits LimitsOf(RunningTask task)
    {
        var resources = Interfaces.Resources.ResourceBag.FromWire(task.Info.Resources);
        var cpus = resources.ScalarOf("cpus").ToDouble();
        var mem = resources.ScalarOf("mem").ToDouble();
        return new TaskLimits(
            cpus > 0 ? cpus : null,
            mem > 0 ? (long)(mem * 1024 * 1024) : null,
            Options.TaskPidsLimit > 0 ? Options.TaskPidsLimit : null);
    }

    /// <summary>Ends whatever the task left behind in its cgroup (daemonised children) and removes it.</summary>
    private async Task RemoveCgroupAsync(RunningTask task)
    {
        if (task.Cgroup is not { } cgroup)
        {
            return;
        }

        try
        {
            for (var attempt = 0; attempt < 50 && !cgroup.TryDestroy(); attempt++)
            {
                cgroup.KillAll();
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time).ConfigureAwait(false);
            }
        }
        catch (IOException e)
        {
            _logger.LogWarning(e, "The cgroup of task {Task} could not be removed", task.Id);
        }
    }

    private void Kill(FrameworkId framework, TaskId taskId, KillPolicy? policy)
    {
        if (!_tasks.TryGetValue((framework, taskId), out var task) || TaskStates.IsTerminal(task.State) || task.Killing)
        {
            return;
        }

        task.Killing = true;
        if (task.Process is null && task.AdoptedPid is { } adopted)
        {
            KillAdopted(task, adopted, policy);
            return;
        }

        // Killing one task of a group kills the group, as Mesos's default executor does.
        foreach (var member in task.Group?.Where(m => !ReferenceEquals(m, task)) ?? [])
        {
            Kill(member.FrameworkId, member.Id, policy);
        }

        if (task.Process is not { } process)
        {
            Report(task, TaskState.TASK_KILLED, TaskStatusReason.REASON_TASK_KILLED_DURING_LAUNCH, "Killed before it started");
            return;
        }

        var grace = policy?.GracePeriod is { } g ? TimeSpan.FromTicks(g.Nanoseconds / 100) : Options.DefaultKillGracePeriod;
        _logger.LogInformation("Killing task {Task} with a grace period of {Grace}", taskId, grace);
        // SIGTERM to every process of the task (its cgroup, or its process group), SIGKILL after the grace.
        foreach (var pid in task.Cgroup?.Pids() ?? [])
        {
            Signals.Send(pid, Signals.SIGTERM);
        }

        Signals.SendToGroup(process.Id, Signals.SIGTERM);
        _ = Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(grace, _time);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                KillCommandGroup(task);
                Signals.SendToGroup(process.Id, Signals.SIGKILL);
                try
                {
                    task.Cgroup?.KillAll();
                }
                catch (IOException)
                {
                    // The cgroup went with its last process.
                }
            }
        });
    }

    private void Acknowledged(AcknowledgeUpdate ack)
    {
        var status = Updates.Acknowledge(ack.FrameworkId!, ack.TaskId!, ack.Uuid!);
        if (status?.State is { } state && TaskStates.IsTerminal(state))
        {
            // The framework has the terminal update: the agent can forget the task (the sandbox stays).
            TaskCheckpoint.Delete(Options.WorkDir, ack.FrameworkId!, ack.TaskId!);
            if (_tasks.TryRemove((ack.FrameworkId!, ack.TaskId!), out var task))
            {
                _completed.Enqueue(task);
                while (_completed.Count > MaxCompletedTasks && _completed.TryDequeue(out _))
                {
                }
            }
        }
    }

    private void Report(RunningTask task, TaskState state, TaskStatusReason? reason, string? message, bool? healthy = null)
    {
        if (TaskStates.IsTerminal(state) && !TaskStates.IsTerminal(task.State))
        {
            TerminalCounts.AddOrUpdate(state, 1, (_, count) => count + 1);
        }

        task.State = state;
        Updates.Enqueue(task.FrameworkId, new TaskStatus
        {
            TaskId = task.Id,
            State = state,
            Source = TaskStatusSource.SOURCE_EXECUTOR,
            Reason = reason,
            Message = message,
            AgentId = AgentId,
            ExecutorId = task.ExecutorId,
            Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0,
            Uuid = Guid.NewGuid().ToByteArray(),
            Healthy = healthy,
        });
    }

    private string? SandboxOf(FrameworkId framework, TaskId task) =>
        _tasks.TryGetValue((framework, task), out var running) ? running.Sandbox : _completed.FirstOrDefault(t => t.FrameworkId == framework && t.Id == task)?.Sandbox;

    private async Task SendUpdateAsync(FrameworkId framework, TaskStatus status)
    {
        if (AgentId is null || Master.StreamId is null)
        {
            return; // Not connected: the update goes out when the agent subscribes again.
        }

        try
        {
            await Master.SendAsync(
                new AgentCall
                {
                    Type = AgentCallType.UPDATE,
                    AgentId = AgentId,
                    Update = new AgentUpdate { FrameworkId = framework, Status = status, Sandbox = SandboxOf(framework, status.TaskId!) },
                },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            _logger.LogDebug(e, "Status update for task {Task} not delivered yet; it will be retried", status.TaskId);
        }
    }
}
