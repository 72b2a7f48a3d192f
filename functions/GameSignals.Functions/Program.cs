using GameSignals.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseGameSignalsMiddleware();
builder.Services.AddGameSignalsFunctionApp(builder.Configuration);
builder.Build().Run();
