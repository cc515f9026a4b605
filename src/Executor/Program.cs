using Mesos.Orleans.Executor;

try
{
    var launch = LaunchArguments.Parse(args);
    return launch.Init ? ContainerInit.Run(launch) : Supervisor.Run(launch);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"mesos-executor: {e.Message}");
    Console.Out.WriteLine($"failed {e.Message}");
    return Supervisor.LaunchFailed;
}
