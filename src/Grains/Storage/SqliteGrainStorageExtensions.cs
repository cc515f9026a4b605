using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Mesos.Orleans.Grains.Storage;

public static class SqliteGrainStorageExtensions
{
    /// <summary>Registers <see cref="SqliteGrainStorage"/> as the grain storage named <paramref name="name"/>.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, string path)
    {
        builder.Services.AddOptions<SqliteGrainStorageOptions>(name).Configure(options => options.Path = path);
        builder.Services.AddTransient<IPostConfigureOptions<SqliteGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<SqliteGrainStorageOptions>>();
        builder.Services.AddGrainStorage(name, (services, storageName) => new SqliteGrainStorage(
            storageName,
            services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(storageName),
            services.GetService<TimeProvider>() ?? TimeProvider.System));
        return builder;
    }

    /// <summary>Keeps the silo's reminders in the SQLite file at <paramref name="path"/>.</summary>
    public static ISiloBuilder AddSqliteReminderTable(this ISiloBuilder builder, string path)
    {
        builder.AddReminders();
        builder.Services.AddSingleton<IReminderTable>(new SqliteReminderTable(path));
        return builder;
    }
}
