using Kontor.Currencies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kontor;

public static class ExchangeRateServices
{
    /// <summary>Exchange rates as data: import, lookup and the optional fetcher ("ExchangeRates" configuration).</summary>
    public static IServiceCollection AddExchangeRates(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ExchangeRateOptions>(configuration.GetSection("ExchangeRates"));
        services.TryAddSingleton<ExchangeRateHttp>(_ => new ExchangeRateHttp());
        services.AddScoped<ExchangeRates>();
        services.AddScoped<ExchangeRateImporter>();
        services.AddScoped<ExchangeRateFetcher>();
        return services;
    }
}
