using Kontor.Common;
using Kontor.Currencies;
using Kontor.Persistence;

namespace Kontor.Ledger;

/// <summary>
/// The rate at which an entry in a foreign currency is booked when its document did not fix one (payments, for
/// instance). A Polish company books at the NBP average rate of the business day before the operation (art. 30
/// ust. 2 pkt 2 ustawy o rachunkowości); a Russian one at the CBR rate set for the day of the operation
/// (ПБУ 3/2006, п. 6). Rates are data: a missing table refuses the posting instead of guessing.
/// </summary>
public sealed class BookRates(ExchangeRates rates, ReferenceData referenceData)
{
    public async Task<BookRate> ForPostingAsync(string currency, DateOnly date, CancellationToken ct)
    {
        var baseCurrency = (await referenceData.GetAsync(ct)).Company?.BaseCurrency ?? "PLN";
        try
        {
            var applied = baseCurrency switch
            {
                "PLN" => await rates.ForTaxPointAsync(currency, date, RateSource.Nbp, ct),
                "RUB" => await rates.OnDateAsync(currency, date, RateSource.Cbr, ct),
                _ => throw new LedgerPostingException($"Kontor has no source of exchange rates for books kept in {baseCurrency}."),
            };
            return new BookRate(applied.Rate, applied.TableNumber, applied.EffectiveDate);
        }
        catch (NotFoundException e)
        {
            throw new LedgerPostingException($"Cannot book {currency} in {baseCurrency} on {date:yyyy-MM-dd}: {e.Message}. Import the exchange rates, then try again.");
        }
    }
}
