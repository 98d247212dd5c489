[description]
The balancer-manager's realm for Portico: a HashLoginService named "portico" (the realm-name in
Portico's web.xml) that reads users, passwords and roles from a properties file.

[tags]
security

[depend]
security

[xml]
etc/portico-realm.xml

[ini-template]
## users, passwords and roles; role portico-admin opens /balancer-manager
# portico.realm.config=etc/portico-realm.properties
