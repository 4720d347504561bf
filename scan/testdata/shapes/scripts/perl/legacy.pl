use LWP::UserAgent;

my $ua = LWP::UserAgent->new;
my $res = $ua->post("https://acme.auth0.com/oauth/ro", { username => $u, password => $p, connection => "db" });
