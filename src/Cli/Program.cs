using System.CommandLine;
using Mesos.Orleans.Cli;

var root = new RootCommand("mesos: use a Mesos.Orleans (or Apache Mesos) cluster from the command line")
{
    ExecuteCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
