<?php

// A WordPress-style plugin that talks to Auth0 without the SDK.
class Auth0_Api_Client
{
    public static function ro($domain, $client_id, $username, $password, $connection)
    {
        $endpoint = "https://$domain/";
        $body = ['client_id' => $client_id, 'username' => $username, 'password' => $password, 'connection' => $connection, 'grant_type' => 'password'];
        return wp_remote_post(
            $endpoint . 'oauth/ro',
            ['body' => $body]
        );
    }
}
