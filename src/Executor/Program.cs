using Mesos.Orleans.Executor;

try
{
    LaunchArguments? launch;
    if (StandbyLaunch.Is(args))
    {
        launch = StandbyLaunch.Receive(args);
        if (launch is null)
        {
            return 0;
        }
    }
    else
    {
        launch = LaunchArguments.Parse(args);
    }

    return launch.Init ? ContainerInit.Run(launch) : Supervisor.Run(launch);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"mesos-executor: {e.Message}");
    Console.Out.WriteLine($"failed {e.Message}");
    return Supervisor.LaunchFailed;
}
