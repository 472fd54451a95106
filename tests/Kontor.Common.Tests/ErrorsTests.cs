namespace Kontor.Common.Tests;

public class ErrorsTests
{
    [Fact]
    public void Single_field_validation_error()
    {
        var ex = new ValidationException("nip", "NIP checksum is invalid");

        Assert.Equal(["NIP checksum is invalid"], ex.Errors["nip"]);
        Assert.Single(ex.Errors);
        Assert.Contains("nip", ex.Message);
        Assert.Contains("NIP checksum is invalid", ex.Message);
    }

    [Fact]
    public void Multi_field_validation_error_summarises_all_fields_and_copies_input()
    {
        var errors = new Dictionary<string, string[]>
        {
            ["currency"] = ["'XYZ' is not an ISO 4217 currency code"],
            ["lines[0].quantity"] = ["Quantity must be positive", "Quantity is too large"],
        };

        var ex = new ValidationException(errors);
        errors["currency"][0] = "changed";
        errors.Remove("lines[0].quantity");

        Assert.Equal(2, ex.Errors.Count);
        Assert.Equal(["'XYZ' is not an ISO 4217 currency code"], ex.Errors["currency"]);
        Assert.Equal(["Quantity must be positive", "Quantity is too large"], ex.Errors["lines[0].quantity"]);
        Assert.Contains("currency", ex.Message);
        Assert.Contains("Quantity is too large", ex.Message);
    }

    [Fact]
    public void Validation_error_without_entries_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new ValidationException(new Dictionary<string, string[]>()));
    }

    [Fact]
    public void Not_found_names_entity_and_id()
    {
        var ex = new NotFoundException("Invoice", 42);

        Assert.Equal("Invoice", ex.What);
        Assert.Equal(42, ex.Id);
        Assert.Equal("Invoice '42' was not found.", ex.Message);
    }

    [Fact]
    public void Conflict_keeps_message()
    {
        var ex = new ConflictException("An issued invoice cannot be edited");
        Assert.Equal("An issued invoice cannot be edited", ex.Message);
    }
}
