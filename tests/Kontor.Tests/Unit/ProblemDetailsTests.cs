using System.Text.Json;
using Kontor.Web.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Kontor.Tests.Unit;

/// <summary>How unreadable JSON is explained to a client: the field by its JSON path, never a .NET type name.</summary>
public sealed class ProblemDetailsTests
{
    [Theory]
    [InlineData("The JSON value could not be converted to Kontor.Web.Api.RecurringScheduleRequest. Path: $.frequency | LineNumber: 0 | BytePositionInLine: 20.", "$.frequency", "frequency")]
    [InlineData("The JSON value is either too large or too small for a Decimal. Path: $.lines[0].quantity", "$.lines[0].quantity", "lines[0].quantity")]
    public void A_value_of_the_wrong_type_names_the_field_and_no_dotnet_type(string message, string path, string field)
    {
        var problem = ProblemDetailsExceptionHandler.Map(new BadHttpRequestException("Failed to read parameter", new JsonException(message, path, 0, 20)));

        var validation = Assert.IsType<ValidationProblemDetails>(problem);
        Assert.Equal(StatusCodes.Status400BadRequest, validation.Status);
        var text = Assert.Single(validation.Errors[field]);
        Assert.DoesNotContain("Kontor.", text);
        Assert.DoesNotContain("Decimal", text);
        Assert.Contains("/openapi/v1.json", text);
    }

    [Fact]
    public void Broken_json_syntax_keeps_the_parsers_explanation()
    {
        var problem = ProblemDetailsExceptionHandler.Map(new BadHttpRequestException("Failed to read parameter",
            new JsonException("'n' is an invalid start of a property name. Expected a '\"'. Path: $ | LineNumber: 0 | BytePositionInLine: 1.", "$", 0, 1)));

        var text = Assert.Single(Assert.IsType<ValidationProblemDetails>(problem).Errors["body"]);
        Assert.Contains("invalid start of a property name", text);
    }
}
