using System;
using System.Net.Http;
using System.Threading.Tasks;

// Talks to the Auth0 tenant without the SDK.
public class RawClient
{
    private readonly HttpClient http;
    private readonly Uri auth0Domain;

    public RawClient(HttpClient http, Uri auth0Domain) { this.http = http; this.auth0Domain = auth0Domain; }

    public Task<HttpResponseMessage> Delegate(HttpContent body) => http.PostAsync(new Uri(auth0Domain, "delegation"), body);

    public Task<HttpResponseMessage> TokenInfo(HttpContent body) => http.PostAsync(new Uri(auth0Domain, "tokeninfo"), body);

    // Not a URL: the name of a grant in our own settings.
    public bool IsDelegation(string kind) => kind == "delegation";
}
