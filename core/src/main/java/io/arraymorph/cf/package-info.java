/**
 * NetCDF Climate and Forecast (CF) conventions as xarray applies them when decoding: missing values
 * ({@code _FillValue}, {@code missing_value}, valid ranges), {@code _Unsigned}, packing ({@code
 * scale_factor}, {@code add_offset}) and time coordinates ({@code units: "<unit> since <date>"} in
 * every {@link io.arraymorph.cf.CfCalendar}). Entry point: {@link io.arraymorph.cf.CfEncoding#of}.
 */
package io.arraymorph.cf;
