using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kontor;

/// <summary>Settings that can say what is wrong with them, by configuration key (empty when they are fine).</summary>
public interface ICheckedOptions
{
    IReadOnlyList<string> Problems();
}

/// <summary>
/// Binds a settings section and checks it when the host starts: a setting that would break the feature stops the start with
/// messages naming the keys, instead of surfacing later as a strange failure.
/// </summary>
public static class CheckedOptions
{
    public static IServiceCollection AddCheckedOptions<T>(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration section)
        where T : class, ICheckedOptions
    {
        services.AddOptions<T>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>, Validator<T>>();
        return services;
    }

    private sealed class Validator<T> : IValidateOptions<T> where T : class, ICheckedOptions
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
