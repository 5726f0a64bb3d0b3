using System.Net.Sockets;
using KxCollector.Store.Ingest;
using Npgsql;
using KxCollector.Configuration;

namespace KxCollector.Store;

/// <summary>
/// Says what went wrong with the database in one line a person can act on, naming DATABASE_URL and never the
/// password, and sorts failures into those worth retrying soon and those (a refused login) worth retrying slowly.
/// </summary>
internal static class DatabaseErrors
{
    public static bool IsDatabaseFailure(Exception ex) =>
        ex is NpgsqlException or SocketException or TimeoutException or IOException or PositionConflictException;

    /// <summary>A refused login or a missing database: nothing will change until someone fixes DATABASE_URL or the server.</summary>
    public static bool IsLoginProblem(Exception ex) =>
        ex is PostgresException { SqlState: "28P01" or "28000" or "3D000" or "42501" };

    public static string Describe(Exception ex, DatabaseTarget target)
    {
        ArgumentNullException.ThrowIfNull(ex);
        ArgumentNullException.ThrowIfNull(target);
        var where = target.Description;
        var text = ex switch
        {
            PostgresException { SqlState: "28P01" or "28000" } pg => $"DATABASE_URL: login refused by {where} ({pg.SqlState}: {pg.MessageText})",
            PostgresException { SqlState: "3D000" } pg => $"DATABASE_URL: the database does not exist on {where} ({pg.MessageText})",
            PostgresException pg => $"DATABASE_URL: {where} answered {pg.SqlState}: {pg.MessageText}",
            PositionConflictException conflict => $"DATABASE_URL: {conflict.Message}",
            _ when Find<SocketException>(ex) is { } socket => $"DATABASE_URL: cannot connect to {where} ({socket.SocketErrorCode}: {socket.Message})",
            _ when Find<TimeoutException>(ex) is not null => $"DATABASE_URL: {where} did not answer in time ({Innermost(ex).Message})",
            _ => $"DATABASE_URL: {where}: {Innermost(ex).Message}",
        };
        return target.Redact(text);
    }

    private static T? Find<T>(Exception ex)
        where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception ex)
    {
        var e = ex;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
