// Metric-name helpers: enum names become snake_case keys ("TooShort" → "too_short").
namespace Rethinker.Training.Metrics;

public static class Naming
{
    public static string Snake(string pascal) => Config.Naming.ToSnake(pascal);
}
